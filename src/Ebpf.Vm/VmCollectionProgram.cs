using System.Diagnostics;

namespace Ebpf.Vm;

/// <summary>
/// A program of a <see cref="VmCollection"/> behind the backend-neutral <see cref="IProgram"/>. Programs whose
/// context is plain memory (raw tracepoints, tracing, syscall, kprobe, tracepoint and perf event programs) test-run
/// with the data as their context, as BPF_PROG_TEST_RUN's <c>ctx_in</c> gives it to raw tracepoints; packet
/// programs need the kernel's context layouts (<c>xdp_md</c>, <c>__sk_buff</c>), which the VM does not build yet.
/// </summary>
internal sealed class VmCollectionProgram(ProgramSpec spec, VmProgram program) : IProgram
{
    public VmProgram Program { get; } = program;

    public string Name => spec.Name;

    public ProgramType Type => spec.Type;

    public unsafe uint TestRun(ReadOnlySpan<byte> data, Span<byte> dataOut, out int dataOutLength, out TimeSpan duration, int repeat = 1)
    {
        if (Type is not (ProgramType.RawTracepoint or ProgramType.RawTracepointWritable or ProgramType.Tracing or ProgramType.Syscall
            or ProgramType.Kprobe or ProgramType.Tracepoint or ProgramType.PerfEvent))
            throw new NotSupportedException($"program '{Name}' ({Type}): the VM runs programs whose context is plain memory; " +
                "packet contexts (xdp_md, __sk_buff) with the kernel's field rewriting are not built yet");
        ArgumentOutOfRangeException.ThrowIfNegative(repeat);
        int runs = Math.Max(repeat, 1);
        Span<byte> context = data.Length <= 512 ? stackalloc byte[data.Length] : new byte[data.Length];
        ulong result = 0;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < runs; i++)
        {
            data.CopyTo(context);
            fixed (byte* p = context)
            {
                var region = new VmMemoryRegion(p, context.Length, VmMemoryAccess.ReadWrite, VmMemoryRegionKind.Context);
                result = Program.Run(new ReadOnlySpan<VmMemoryRegion>(in region), VmAddressSpace.RegionAddress(0));
            }
        }
        duration = Stopwatch.GetElapsedTime(start) / runs;
        dataOutLength = Math.Min(dataOut.Length, context.Length);
        context[..dataOutLength].CopyTo(dataOut);
        return (uint)result;
    }
}
