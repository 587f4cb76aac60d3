namespace Ebpf.Linux.Links;

/// <summary>Where an XDP program runs (XDP_FLAGS_*_MODE; the values are the UAPI's flags).</summary>
public enum XdpMode : uint
{
    /// <summary>The driver's native mode when it has one, generic otherwise (no flag).</summary>
    Default = 0,
    /// <summary>Generic XDP on the sk_buff, any interface (XDP_FLAGS_SKB_MODE, <c>ip link set dev X xdpgeneric</c>).</summary>
    Generic = 1u << 1,
    /// <summary>Native XDP in the driver (XDP_FLAGS_DRV_MODE, <c>ip link set dev X xdpdrv</c>).</summary>
    Native = 1u << 2,
    /// <summary>Offloaded to the NIC (XDP_FLAGS_HW_MODE, <c>ip link set dev X xdpoffload</c>).</summary>
    Offload = 1u << 3,
}
