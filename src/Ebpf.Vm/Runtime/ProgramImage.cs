using System.Collections.Immutable;
using Ebpf.Asm;
using Ebpf.Vm.Helpers;

namespace Ebpf.Vm.Runtime;

/// <summary>
/// What every engine needs of a loaded program, fixed at load: its instructions (fault messages quote them), the
/// helper snapshot indexed by id, and the instruction budget of a run.
/// </summary>
/// <param name="instructions">The program as loaded.</param>
/// <param name="helpers">The helpers by id (null where absent), snapshot of the table at load.</param>
/// <param name="instructionBudget">Most instructions one run may execute.</param>
/// <param name="owner">
/// The public object helpers see as <c>HelperContext.Program</c> (the <c>VmProgram</c>). Typed <c>object</c> because
/// the core sits below the type that chooses engines and must not name it.
/// </param>
/// <param name="maps">
/// The maps the program refers to, in the order its map handles number them (typed <c>object</c>: the core does not
/// name the maps above it); the helpers that operate on maps cast them back.
/// </param>
/// <param name="mapRegions">Each map's value storage, mapped into every run right after the host regions.</param>
/// <param name="cpu">The CPU runs are on.</param>
/// <param name="packetContext">The kernel context r1 points at, whose pointer fields read as packet addresses.</param>
internal sealed class ProgramImage(ImmutableArray<Instruction> instructions, HelperFunction?[] helpers, long instructionBudget, object owner,
    object[]? maps = null, VmMemoryRegion[]? mapRegions = null, int cpu = 0, PacketContextKind packetContext = PacketContextKind.None)
{
    /// <summary>The kernel context r1 points at (its pointer fields read as packet addresses).</summary>
    public PacketContextKind PacketContext { get; } = packetContext;

    /// <summary>The CPU runs are on.</summary>
    public int Cpu { get; } = cpu;

    /// <summary>The engine that runs this image (set once the engine is built), for tail calls into it.</summary>
    public object? Engine { get; set; }

    /// <summary>The maps by handle index.</summary>
    public object[] Maps { get; } = maps ?? [];

    /// <summary>The value storage of each map (empty regions for maps whose values are copied, not pointed to).</summary>
    public VmMemoryRegion[] MapRegions { get; } = mapRegions ?? [];

    /// <summary>The program as loaded.</summary>
    public ImmutableArray<Instruction> Instructions { get; } = instructions;

    /// <summary>The helpers by id (null where absent): the form engines call through.</summary>
    public HelperFunction?[] Helpers { get; } = helpers;

    /// <summary>Most instructions one run may execute.</summary>
    public long InstructionBudget { get; } = instructionBudget;

    /// <summary>The public object that owns this image (see the constructor).</summary>
    public object Owner { get; } = owner;
}
