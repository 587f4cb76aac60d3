namespace Ebpf.Linux.Links;

/// <summary>How an XDP program is attached (XDP_ATTACHED_*).</summary>
public enum XdpAttachedMode : byte
{
    /// <summary>None (XDP_ATTACHED_NONE).</summary>
    None = 0,
    /// <summary>Native, in the driver (XDP_ATTACHED_DRV; <c>ip link</c> says "xdp").</summary>
    Native = 1,
    /// <summary>Generic (XDP_ATTACHED_SKB; "xdpgeneric").</summary>
    Generic = 2,
    /// <summary>Offloaded (XDP_ATTACHED_HW; "xdpoffload").</summary>
    Offload = 3,
    /// <summary>Several modes at once (XDP_ATTACHED_MULTI).</summary>
    Multiple = 4,
}
