using System.Diagnostics;

namespace Ebpf.Vm;

/// <summary>
/// A program of a <see cref="VmCollection"/> behind the backend-neutral <see cref="IProgram"/>. XDP programs test-run
/// as BPF_PROG_TEST_RUN runs them: the data is the packet, in a frame with the kernel's 256-byte headroom, behind an
/// <c>xdp_md</c> of the loopback device; the output is the packet as the program left it. Programs whose context is
/// plain memory (raw tracepoints, tracing, syscall, kprobe, tracepoint and perf event programs) run with the data as
/// their context, as <c>ctx_in</c> gives it to raw tracepoints. The socket-buffer context (<c>__sk_buff</c>) is not
/// built yet.
/// </summary>
internal sealed class VmCollectionProgram(ProgramSpec spec, VmProgram program) : IProgram
{
    public VmProgram Program { get; } = program;

    public string Name => spec.Name;

    public ProgramType Type => spec.Type;

    /// <summary>XDP_PACKET_HEADROOM: the room before the packet of an XDP frame.</summary>
    private const int XdpHeadroom = 256;

    /// <summary>Room after the packet: the kernel keeps a skb_shared_info there (320 bytes on x86-64).</summary>
    private const int XdpTailroom = 320;

    public unsafe uint TestRun(ReadOnlySpan<byte> data, Span<byte> dataOut, out int dataOutLength, out TimeSpan duration, int repeat = 1)
    {
        if (Type == ProgramType.Xdp) return TestRunXdp(data, dataOut, out dataOutLength, out duration, repeat);
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

    private uint TestRunXdp(ReadOnlySpan<byte> data, Span<byte> dataOut, out int dataOutLength, out TimeSpan duration, int repeat)
    {
        // As bpf_prog_test_run_xdp: at least an Ethernet header, at most a page with headroom and tailroom.
        if (data.Length < 14 || data.Length > 4096 - XdpHeadroom - XdpTailroom)
            throw new ArgumentException($"an XDP test run takes 14 to {4096 - XdpHeadroom - XdpTailroom} bytes of packet (the kernel answers EINVAL), got {data.Length}", nameof(data));
        ArgumentOutOfRangeException.ThrowIfNegative(repeat);
        byte[] frame = new byte[XdpHeadroom + data.Length + XdpTailroom];
        Span<byte> context = stackalloc byte[24];   // struct xdp_md
        ulong result = 0;
        uint start = XdpHeadroom, end = XdpHeadroom + (uint)data.Length;
        long began = Stopwatch.GetTimestamp();
        int runs = Math.Max(repeat, 1);
        for (int i = 0; i < runs; i++)
        {
            Array.Clear(frame);
            data.CopyTo(frame.AsSpan(XdpHeadroom));
            context.Clear();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(context[12..], 1);   // ingress_ifindex: lo
            (start, end) = (XdpHeadroom, XdpHeadroom + (uint)data.Length);
            result = Program.RunXdp(frame, context, ref start, ref end);
        }
        duration = Stopwatch.GetElapsedTime(began) / runs;
        int length = (int)(end - start);
        if (length > dataOut.Length)
            throw new ArgumentException($"the packet grew to {length} bytes; the output buffer holds {dataOut.Length} (the kernel answers ENOSPC)", nameof(dataOut));
        frame.AsSpan((int)start, length).CopyTo(dataOut);
        dataOutLength = length;
        return (uint)result;
    }
}
