using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>XDP by netlink (what <c>ip link set dev X xdp...</c> does) on a veth pair in the test's own namespaces.</summary>
public sealed class XdpNetlinkAttachmentTests
{
    [Theory]
    [InlineData(XdpMode.Native, "xdp", XdpAttachedMode.Native)]
    [InlineData(XdpMode.Generic, "xdpgeneric", XdpAttachedMode.Generic)]
    public void Attach_DropsUdpToPort53_QueryAndIpAgree_DetachesOnDispose(XdpMode mode, string ipKeyword, XdpAttachedMode attached)
    {
        using var veth = new VethPair();
        using var counts = PacketCounters.CreateMap();
        using var prog = PacketCounters.Xdp(counts, dropPort: 53);
        using var dns = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, 53);
        using var other = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, 5353);
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA);
        using (var attachment = NetworkNamespace.Run(veth.NamespaceA, () => XdpNetlinkAttachment.Attach(prog, ifindex, mode)))
        {
            Assert.Equal(new XdpAttachmentInfo(prog.Id, attached), NetworkNamespace.Run(veth.NamespaceA, () => XdpNetlinkAttachment.Query(ifindex)));
            // A second attach without replace is refused, as "ip link set ... xdp" without -force is.
            using var second = PacketCounters.Xdp(counts, dropPort: 53, slot: 2, name: "t_xdp_second");
            var busy = Assert.Throws<BpfException>(() => NetworkNamespace.Run(veth.NamespaceA, () => XdpNetlinkAttachment.Attach(second, ifindex, mode)));
            Assert.Equal(Errno.EBUSY, busy.Errno);

            PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 53, 5);
            PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 5353, 7);
            Assert.Equal(7, PacketCounters.Drain(other, 7));
            Assert.Equal(0, PacketCounters.Drain(dns, 0));
            Assert.Equal(5UL, PacketCounters.WaitFor(counts, 0, 5));
            Assert.Equal(7UL, PacketCounters.WaitFor(counts, 1, 7));

            string shown = VethPair.IpIn(veth.NamespaceA, "-d", "link", "show", "dev", veth.InterfaceA);
            Assert.Contains($"{ipKeyword} ", shown, StringComparison.Ordinal);
            Assert.Contains($"prog/xdp id {prog.Id}", shown, StringComparison.Ordinal);
            string net = VethPair.RunIn(veth.NamespaceA, "bpftool", "net", "show", "dev", veth.InterfaceA);
            Assert.Contains($"id {prog.Id}", net, StringComparison.Ordinal);
        }
        Assert.Null(NetworkNamespace.Run(veth.NamespaceA, () => XdpNetlinkAttachment.Query(ifindex)));
        Assert.True(HookObjects.Eventually(() => !VethPair.IpIn(veth.NamespaceA, "-d", "link", "show", "dev", veth.InterfaceA).Contains("prog/xdp", StringComparison.Ordinal)), "XDP is still attached");
        PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 53, 3);
        Assert.Equal(3, PacketCounters.Drain(dns, 3));
    }

    [Fact]
    public void Query_SeesXdpLink_AndNetlinkAttachIsBusyWhileLinked()
    {
        using var veth = new VethPair();
        using var counts = PacketCounters.CreateMap();
        using var prog = PacketCounters.Xdp(counts, dropPort: 53);
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA);
        using var link = NetworkNamespace.Run(veth.NamespaceA, () => XdpLink.Attach(prog, ifindex, XdpMode.Generic));
        Assert.Equal(new XdpAttachmentInfo(prog.Id, XdpAttachedMode.Generic), NetworkNamespace.Run(veth.NamespaceA, () => XdpNetlinkAttachment.Query(ifindex)));
        var busy = Assert.Throws<BpfException>(() => NetworkNamespace.Run(veth.NamespaceA, () => XdpNetlinkAttachment.Attach(prog, ifindex, XdpMode.Generic, replace: true)));
        Assert.Equal(Errno.EBUSY, busy.Errno);
    }
}
