namespace Ebpf.Vm.Pcap;

/// <summary>One captured packet.</summary>
/// <param name="Timestamp">When it was captured (UTC).</param>
/// <param name="Data">The captured bytes (at most the capture's snap length).</param>
/// <param name="OriginalLength">The packet's length on the wire, at least <see cref="Data"/>'s length.</param>
/// <param name="LinkType">The link-layer header <see cref="Data"/> starts with.</param>
/// <param name="Interface">The pcapng interface the packet was captured on (0 in pcap files).</param>
public sealed record PcapPacket(DateTimeOffset Timestamp, ReadOnlyMemory<byte> Data, int OriginalLength, PcapLinkType LinkType, int Interface = 0)
{
    /// <summary>Whether the capture cut the packet (snap length).</summary>
    public bool IsTruncated => Data.Length < OriginalLength;
}
