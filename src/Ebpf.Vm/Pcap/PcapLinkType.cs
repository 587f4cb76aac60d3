namespace Ebpf.Vm.Pcap;

/// <summary>The link-layer header of a capture's packets (tcpdump.org LINKTYPE_ values).</summary>
public enum PcapLinkType : uint
{
    /// <summary>LINKTYPE_NULL: BSD loopback.</summary>
    Null = 0,
    /// <summary>LINKTYPE_ETHERNET: Ethernet II frames (what XDP and TC programs see).</summary>
    Ethernet = 1,
    /// <summary>LINKTYPE_RAW: raw IPv4 or IPv6 packets.</summary>
    Raw = 101,
    /// <summary>LINKTYPE_LINUX_SLL: Linux "cooked" capture (tcpdump -i any).</summary>
    LinuxSll = 113,
    /// <summary>LINKTYPE_IPV4.</summary>
    IPv4 = 228,
    /// <summary>LINKTYPE_IPV6.</summary>
    IPv6 = 229,
    /// <summary>LINKTYPE_LINUX_SLL2.</summary>
    LinuxSll2 = 276,
}
