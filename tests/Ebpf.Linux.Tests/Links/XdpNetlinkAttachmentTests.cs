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

    [Fact]
    public void AttachToInterface_StaysWithoutAnOwner_ReplacesOnlyWhenAsked_DetachFromInterfaceRemovesIt()
    {
        using var veth = new VethPair();
        using var counts = PacketCounters.CreateMap();
        using var prog = PacketCounters.Xdp(counts, dropPort: 53);
        using var second = PacketCounters.Xdp(counts, dropPort: 53, slot: 2, name: "t_xdp_second");
        using var dns = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, 53);
        string ns = veth.NamespaceA;
        int ifindex = NetworkNamespace.InterfaceIndex(ns, veth.InterfaceA);
        try
        {
            // The call's netlink socket is closed when it returns; the program stays, as after bpftool net attach.
            NetworkNamespace.Run(ns, () => XdpNetlinkAttachment.AttachToInterface(prog, ifindex, XdpMode.Generic));
            string shown = VethPair.IpIn(ns, "-d", "link", "show", "dev", veth.InterfaceA);
            Assert.Contains("xdpgeneric ", shown, StringComparison.Ordinal);
            Assert.Contains($"prog/xdp id {prog.Id}", shown, StringComparison.Ordinal);
            PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 53, 4);
            Assert.Equal(0, PacketCounters.Drain(dns, 0));
            Assert.Equal(4UL, PacketCounters.WaitFor(counts, 0, 4));

            var busy = Assert.Throws<BpfException>(() => NetworkNamespace.Run(ns, () => XdpNetlinkAttachment.AttachToInterface(second, ifindex, XdpMode.Generic)));
            Assert.Equal(Errno.EBUSY, busy.Errno);
            Assert.Equal(new XdpAttachmentInfo(prog.Id, XdpAttachedMode.Generic), NetworkNamespace.Run(ns, () => XdpNetlinkAttachment.Query(ifindex)));
            NetworkNamespace.Run(ns, () => XdpNetlinkAttachment.AttachToInterface(second, ifindex, XdpMode.Generic, replace: true));
            Assert.Equal(new XdpAttachmentInfo(second.Id, XdpAttachedMode.Generic), NetworkNamespace.Run(ns, () => XdpNetlinkAttachment.Query(ifindex)));

            NetworkNamespace.Run(ns, () => XdpNetlinkAttachment.DetachFromInterface(ifindex, XdpMode.Generic));
            Assert.Null(NetworkNamespace.Run(ns, () => XdpNetlinkAttachment.Query(ifindex)));
            PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 53, 3);
            Assert.Equal(3, PacketCounters.Drain(dns, 3));
            NetworkNamespace.Run(ns, () => XdpNetlinkAttachment.DetachFromInterface(ifindex, XdpMode.Generic));   // nothing attached: no error
        }
        finally
        {
            VethPair.IpIn(ns, "link", "set", "dev", veth.InterfaceA, "xdpgeneric", "off");
        }
    }

    [Fact]
    public void PersistentCalls_NameTheMissingInterface()
    {
        using var veth = new VethPair();
        using var counts = PacketCounters.CreateMap();
        using var prog = PacketCounters.Xdp(counts, dropPort: 53);
        var attach = Assert.Throws<BpfException>(() => NetworkNamespace.Run(veth.NamespaceA, () => XdpNetlinkAttachment.AttachToInterface(prog, 100_000)));
        Assert.Equal(Errno.ENODEV, attach.Errno);
        Assert.Contains("100000", attach.Message, StringComparison.Ordinal);
        var detach = Assert.Throws<BpfException>(() => NetworkNamespace.Run(veth.NamespaceA, () => XdpNetlinkAttachment.DetachFromInterface(100_000)));
        Assert.Equal(Errno.ENODEV, detach.Errno);
        using var classifier = PacketCounters.Tc(counts, dropPort: 53);
        Assert.Throws<ArgumentException>(() => XdpNetlinkAttachment.AttachToInterface(classifier, 1));
    }
}
