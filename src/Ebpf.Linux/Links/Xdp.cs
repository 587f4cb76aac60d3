namespace Ebpf.Linux.Links;

/// <summary>Attaches XDP programs the best way the kernel offers: a link when it has XDP links, netlink otherwise.</summary>
public static class Xdp
{
    /// <summary>
    /// Attaches <paramref name="program"/> to interface <paramref name="ifindex"/> of the calling thread's namespace:
    /// an <see cref="XdpLink"/> when the kernel has BPF_LINK_TYPE_XDP (probed, Linux 5.9+), else an
    /// <see cref="XdpNetlinkAttachment"/>. Disposing the result detaches the program either way.
    /// </summary>
    /// <exception cref="BpfException">EBUSY: another program is attached; ENODEV: no such interface.</exception>
    public static IDisposable Attach(KernelProgram program, int ifindex, XdpMode mode = XdpMode.Default) =>
        Features.KernelFeatures.LinkType(LinkType.Xdp).IsSupported
            ? XdpLink.Attach(program, ifindex, mode)
            : XdpNetlinkAttachment.Attach(program, ifindex, mode);
}
