using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>The probe-driven choice between link and netlink.</summary>
public sealed class XdpAttachChoiceTests
{
    [Fact]
    public void Attach_PrefersLink_WhenTheKernelHasXdpLinks()
    {
        using var veth = new VethPair();
        using var counts = PacketCounters.CreateMap();
        using var prog = PacketCounters.Xdp(counts, dropPort: 53);
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA);
        using (var attached = NetworkNamespace.Run(veth.NamespaceA, () => Xdp.Attach(prog, ifindex, XdpMode.Generic)))
        {
            Assert.IsType<XdpLink>(attached);   // CI's 6.18 has XDP links (5.9+)
            Assert.Equal(prog.Id, NetworkNamespace.Run(veth.NamespaceA, () => XdpNetlinkAttachment.Query(ifindex))?.ProgramId);
        }
        // A parallel `bpftool link show` may hold the link for a moment after it is closed here.
        Assert.Null(Wait.For(() => NetworkNamespace.Run(veth.NamespaceA, () => XdpNetlinkAttachment.Query(ifindex)), info => info is null));
    }
}
