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
        if (Type is ProgramType.SchedClassifier or ProgramType.SchedAction or ProgramType.SocketFilter)
            return TestRunSkb(data, dataOut, out dataOutLength, out duration, repeat);
        if (Type is not (ProgramType.RawTracepoint or ProgramType.RawTracepointWritable or ProgramType.Tracing or ProgramType.Syscall
            or ProgramType.Kprobe or ProgramType.Tracepoint or ProgramType.PerfEvent))
            throw new NotSupportedException($"program '{Name}' ({Type}): the VM runs programs whose context is plain memory; " +
                "packet contexts (xdp_md, __sk_buff) with the kernel's field rewriting are not built yet");
        ArgumentOutOfRangeException.ThrowIfNegative(repeat);
        int runs = Math.Max(repeat, 1);
        byte[]? rented = data.Length <= 512 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(data.Length);
        Span<byte> context = rented is null ? stackalloc byte[data.Length] : rented.AsSpan(0, data.Length);
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
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        return (uint)result;
    }

    private uint TestRunXdp(ReadOnlySpan<byte> data, Span<byte> dataOut, out int dataOutLength, out TimeSpan duration, int repeat)
    {
        // As bpf_prog_test_run_xdp: at least an Ethernet header, at most a page with headroom and tailroom.
        if (data.Length < 14 || data.Length > 4096 - XdpHeadroom - XdpTailroom)
            throw new ArgumentException($"an XDP test run takes 14 to {4096 - XdpHeadroom - XdpTailroom} bytes of packet (the kernel answers EINVAL), got {data.Length}", nameof(data));
        ArgumentOutOfRangeException.ThrowIfNegative(repeat);
        // The kernel's test run gives the frame a whole page (frame_sz = 4096): room for the tail to grow.
        Span<byte> frame = stackalloc byte[4096];
        Span<byte> context = stackalloc byte[24];   // struct xdp_md
        ulong result = 0;
        uint start = XdpHeadroom, end = XdpHeadroom + (uint)data.Length;
        long began = Stopwatch.GetTimestamp();
        int runs = Math.Max(repeat, 1);
        for (int i = 0; i < runs; i++)
        {
            frame.Clear();
            data.CopyTo(frame[XdpHeadroom..]);
            context.Clear();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(context[12..], 1);   // ingress_ifindex: lo
            (start, end) = (XdpHeadroom, XdpHeadroom + (uint)data.Length);
            result = Program.RunPacket(frame, context, writableContext: false, ref start, ref end);
        }
        duration = Stopwatch.GetElapsedTime(began) / runs;
        int length = (int)(end - start);
        if (length > dataOut.Length)
            throw new ArgumentException($"the packet grew to {length} bytes; the output buffer holds {dataOut.Length} (the kernel answers ENOSPC)", nameof(dataOut));
        frame.Slice((int)start, length).CopyTo(dataOut);
        dataOutLength = length;
        return (uint)result;
    }

    // bpf_prog_test_run_skb: the packet in an skb of the loopback device; TC programs see it from the MAC header,
    // socket filters from the network header (the kernel pulls the MAC header for them), and the output is the whole
    // frame (a socket filter's with the MAC header zeroed). The __sk_buff carries what eth_type_trans and the test run set: len, pkt_type, protocol, ifindex.
    private uint TestRunSkb(ReadOnlySpan<byte> data, Span<byte> dataOut, out int dataOutLength, out TimeSpan duration, int repeat)
    {
        if (data.Length < 14 || data.Length > 4096 - XdpTailroom)
            throw new ArgumentException($"an skb test run takes 14 to {4096 - XdpTailroom} bytes of packet (the kernel answers EINVAL), got {data.Length}", nameof(data));
        ArgumentOutOfRangeException.ThrowIfNegative(repeat);
        // The kernel pulls the network header of IP packets into the skb's linear part, and refuses shorter ones.
        ushort etherType = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(data[12..]);
        int needed = etherType == 0x0800 ? 14 + 20 : etherType == 0x86dd ? 14 + 40 : 14;
        if (data.Length < needed)
            throw new ArgumentException($"an skb test run of an IPv{(etherType == 0x0800 ? 4 : 6)} packet needs at least {needed} bytes (the kernel answers EINVAL), got {data.Length}", nameof(data));
        bool l2 = Type != ProgramType.SocketFilter;
        Span<byte> frame = stackalloc byte[data.Length];   // at most 3,776 bytes (checked above)
        Span<byte> context = stackalloc byte[192];   // struct __sk_buff
        ulong result = 0;
        long began = Stopwatch.GetTimestamp();
        int runs = Math.Max(repeat, 1);
        for (int i = 0; i < runs; i++)
        {
            data.CopyTo(frame);
            Span<byte> seen = l2 ? frame : frame[14..];
            SkbContext(data, seen.Length, context);
            uint start = 0, end = (uint)seen.Length;
            result = Program.RunPacket(seen, context, writableContext: true, ref start, ref end);
        }
        duration = Stopwatch.GetElapsedTime(began) / runs;
        if (frame.Length > dataOut.Length)
            throw new ArgumentException($"the packet takes {frame.Length} bytes; the output buffer holds {dataOut.Length} (the kernel answers ENOSPC)", nameof(dataOut));
        // Socket filters give the MAC header back zeroed: the kernel pushes it again with memset(0).
        if (!l2) frame[..14].Clear();
        frame.CopyTo(dataOut);
        dataOutLength = frame.Length;
        return (uint)result;
    }

    private static void SkbContext(ReadOnlySpan<byte> frame, int length, Span<byte> context)
    {
        context.Clear();
        // eth_type_trans on the loopback device (address 00:00:00:00:00:00).
        ReadOnlySpan<byte> destination = frame[..6];
        uint packetType = (destination[0] & 1) != 0 ? (destination.IndexOfAnyExcept((byte)0xff) < 0 ? 1u : 2u)
            : destination.IndexOfAnyExcept((byte)0) >= 0 ? 3u : 0u;
        ushort etherType = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        ushort protocol = etherType >= 0x600 ? etherType
            : frame.Length >= 16 && frame[14] == 0xff && frame[15] == 0xff ? (ushort)0x0001   // ETH_P_802_3
            : (ushort)0x0004;                                                                  // ETH_P_802_2
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(context, (uint)length);                                       // len
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(context[4..], packetType);                                   // pkt_type
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(context[16..], System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(protocol)); // protocol, network order
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(context[40..], 1);                                           // ifindex: lo
    }
}
