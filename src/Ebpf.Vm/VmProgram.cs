using System.Collections.Immutable;
using Ebpf.Asm;
using Ebpf.Vm.Engines;
using Ebpf.Vm.Engines.Interpreter;
using Ebpf.Vm.Runtime;

namespace Ebpf.Vm;

/// <summary>
/// A program loaded into the userspace VM: validated once at <see cref="Load"/>, then run any number of times,
/// from any number of threads at once, without allocating. A run sees only the memory it is given (its stack,
/// the regions passed to <c>Run</c>, what helpers map); anything else stops it with a
/// <see cref="VmFaultException"/>, as does exceeding the instruction budget.
/// </summary>
/// <remarks>
/// The program is executed by the engine <see cref="VmOptions.Engine"/> names, chosen at load; this type only
/// chooses it and passes the runs on.
/// </remarks>
public sealed class VmProgram
{
    private readonly IExecutionEngine _engine;

    private VmProgram(ImmutableArray<Instruction> instructions, VmOptions options)
    {
        Instructions = instructions;
        Options = options;
        var image = Image = new ProgramImage(instructions, options.Helpers.ToArray(), options.InstructionBudget, owner: this,
            [.. options.Maps], [.. options.Maps.Select(MapRegion)], options.Cpu, ContextOf(options.ProgramType));
        _engine = options.Engine switch
        {
            VmEngine.Interpreter => InterpreterEngine.Create(image),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Engine, "unknown VM engine"),
        };
    }

    // Programs whose context is struct __sk_buff: their data/data_end/data_meta fields are rewritten as in the kernel.
    private static PacketContextKind ContextOf(ProgramType type) => type switch
    {
        ProgramType.Xdp => PacketContextKind.Xdp,
        ProgramType.SchedClassifier or ProgramType.SchedAction or ProgramType.SocketFilter or ProgramType.CgroupSkb
            or ProgramType.LwtIn or ProgramType.LwtOut or ProgramType.LwtXmit or ProgramType.SkSkb => PacketContextKind.SocketBuffer,
        _ => PacketContextKind.None,
    };

    // A map's value storage as programs reach it: read-only for .rodata (BPF_F_RDONLY_PROG), read-write otherwise.
    private static unsafe VmMemoryRegion MapRegion(Maps.VmMap map)
    {
        (IntPtr start, long length) = map.ValueStorage;
        return new VmMemoryRegion((void*)start, (int)Math.Min(length, int.MaxValue),
            map.IsReadOnlyToPrograms ? VmMemoryAccess.Read : VmMemoryAccess.ReadWrite, VmMemoryRegionKind.MapValue);
    }

    /// <summary>What the engines run (tail calls reach programs through it).</summary>
    internal ProgramImage Image { get; }

    /// <summary>The program's instructions, as loaded.</summary>
    public ImmutableArray<Instruction> Instructions { get; }

    /// <summary>The options the program was loaded with.</summary>
    public VmOptions Options { get; }

    /// <summary>Validates <paramref name="instructions"/> and prepares them for running.</summary>
    /// <param name="instructions">The program; <c>lddw</c> takes two slots.</param>
    /// <param name="options">Engine, budget and helpers; null for the defaults.</param>
    /// <exception cref="VmProgramException">
    /// The program is empty, has an undefined instruction, a jump or call outside the program or into a
    /// <c>lddw</c>, a call of a helper the table lacks, a map reference or kfunc call, or can run off its end.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The instruction budget is not positive, or the engine is not a <see cref="VmEngine"/>.</exception>
    public static VmProgram Load(ReadOnlySpan<Instruction> instructions, VmOptions? options = null)
    {
        options ??= new VmOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.InstructionBudget, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Maps.Count, VmAddressSpace.MaxMapsPerProgram, nameof(options));
        return new VmProgram(ImmutableArray.Create(instructions), options);
    }

    /// <summary>
    /// Runs the program with <paramref name="memory"/> as its only region, following the bpf_conformance
    /// convention: r1 = the memory's address, r2 = its length. The memory is read-write and also serves as the
    /// packet of legacy <c>ldabs</c>/<c>ldind</c> loads.
    /// </summary>
    /// <returns>r0 at the final <c>exit</c>.</returns>
    /// <exception cref="VmFaultException">The program faulted; <paramref name="memory"/> keeps the stores made before.</exception>
    public unsafe ulong Run(Span<byte> memory)
    {
        fixed (byte* p = memory)
        {
            var region = new VmMemoryRegion(p, memory.Length, VmMemoryAccess.ReadWrite, VmMemoryRegionKind.Packet);
            PacketWindow none = PacketWindow.None;
            return _engine.Run(new ReadOnlySpan<VmMemoryRegion>(in region), VmAddressSpace.RegionAddress(0), (ulong)memory.Length, ref none);
        }
    }

    /// <summary>Runs the program without memory: r1 and r2 are 0, only the stack is accessible.</summary>
    /// <returns>r0 at the final <c>exit</c>.</returns>
    /// <exception cref="VmFaultException">The program faulted.</exception>
    public ulong Run()
    {
        PacketWindow none = PacketWindow.None;
        return _engine.Run([], 0, 0, ref none);
    }

    /// <summary>
    /// Runs the program with a typed context: r1 = the address of <paramref name="context"/>, which the program
    /// may read and write (its bytes are exactly <typeparamref name="TContext"/>'s layout).
    /// </summary>
    /// <returns>r0 at the final <c>exit</c>.</returns>
    /// <exception cref="VmFaultException">The program faulted.</exception>
    public unsafe ulong Run<TContext>(ref TContext context) where TContext : unmanaged
    {
        fixed (TContext* p = &context)
        {
            var region = new VmMemoryRegion(p, sizeof(TContext), VmMemoryAccess.ReadWrite, VmMemoryRegionKind.Context);
            PacketWindow none = PacketWindow.None;
            return _engine.Run(new ReadOnlySpan<VmMemoryRegion>(in region), VmAddressSpace.RegionAddress(0), 0, ref none);
        }
    }

    /// <summary>
    /// Runs the program over host-described regions: region <c>i</c> is at <see cref="VmAddressSpace.RegionAddress(int)"/>
    /// of <c>i</c>; r1 and r2 are preset (typically to such addresses), the other registers are 0 and r10 is the
    /// frame pointer.
    /// </summary>
    /// <param name="regions">At most <see cref="VmAddressSpace.MaxHostRegions"/> regions; their memory must stay valid during the call.</param>
    /// <param name="r1">Initial r1.</param>
    /// <param name="r2">Initial r2.</param>
    /// <returns>r0 at the final <c>exit</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">More than <see cref="VmAddressSpace.MaxHostRegions"/> regions.</exception>
    /// <exception cref="VmFaultException">The program faulted.</exception>
    public ulong Run(ReadOnlySpan<VmMemoryRegion> regions, ulong r1 = 0, ulong r2 = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(regions.Length, VmAddressSpace.MaxHostRegions, nameof(regions));
        PacketWindow none = PacketWindow.None;
        return _engine.Run(regions, r1, r2, ref none);
    }

    /// <summary>
    /// Runs a packet program on the packet at <paramref name="data"/>..<paramref name="dataEnd"/> of
    /// <paramref name="frame"/> (headroom before, tailroom after), with <paramref name="context"/> as its
    /// <c>xdp_md</c> or <c>__sk_buff</c>, whose data, data_end and data_meta read as the packet's addresses. Answers
    /// the verdict; <paramref name="data"/> and <paramref name="dataEnd"/> come back as the program left them.
    /// </summary>
    internal unsafe ulong RunPacket(Span<byte> frame, Span<byte> context, bool writableContext, ref uint data, ref uint dataEnd)
    {
        fixed (byte* f = frame, c = context)
        {
            ReadOnlySpan<VmMemoryRegion> regions =
            [
                new VmMemoryRegion(c, context.Length, writableContext ? VmMemoryAccess.ReadWrite : VmMemoryAccess.Read, VmMemoryRegionKind.Context),
                new VmMemoryRegion(f, frame.Length, VmMemoryAccess.ReadWrite, VmMemoryRegionKind.Packet),
            ];
            var window = new PacketWindow { ContextRegion = 0, FrameRegion = 1, Meta = data, Data = data, DataEnd = dataEnd };
            ulong verdict = _engine.Run(regions, VmAddressSpace.RegionAddress(0), 0, ref window);
            (data, dataEnd) = (window.Data, window.DataEnd);
            return verdict;
        }
    }
}
