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
internal sealed class ProgramImage(ImmutableArray<Instruction> instructions, HelperFunction?[] helpers, long instructionBudget, object owner)
{
    /// <summary>The program as loaded.</summary>
    public ImmutableArray<Instruction> Instructions { get; } = instructions;

    /// <summary>The helpers by id (null where absent): the form engines call through.</summary>
    public HelperFunction?[] Helpers { get; } = helpers;

    /// <summary>Most instructions one run may execute.</summary>
    public long InstructionBudget { get; } = instructionBudget;

    /// <summary>The public object that owns this image (see the constructor).</summary>
    public object Owner { get; } = owner;
}
