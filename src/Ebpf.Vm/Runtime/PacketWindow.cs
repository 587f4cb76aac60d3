namespace Ebpf.Vm.Runtime;

/// <summary>
/// Where a packet program's packet is, as the kernel's <c>xdp_buff</c> keeps it: the region holding the whole frame
/// (headroom, data, tailroom), the offsets of <c>data_meta</c>, <c>data</c> and <c>data_end</c> in it, and the region
/// of the <c>xdp_md</c> context whose pointer fields read as those addresses. Helpers that grow or shrink the packet
/// move the offsets; the caller reads them back after the run.
/// </summary>
internal struct PacketWindow
{
    /// <summary>Host region index (of the run's regions) of the context, or -1 for programs without a packet context.</summary>
    public int ContextRegion;

    /// <summary>Host region index of the frame.</summary>
    public int FrameRegion;

    /// <summary>Offset of <c>data_meta</c> in the frame (equal to <see cref="Data"/> without metadata).</summary>
    public uint Meta;

    /// <summary>Offset of <c>data</c> in the frame.</summary>
    public uint Data;

    /// <summary>Offset of <c>data_end</c> in the frame.</summary>
    public uint DataEnd;

    /// <summary>No packet context.</summary>
    public static PacketWindow None => new() { ContextRegion = -1, FrameRegion = -1 };
}
