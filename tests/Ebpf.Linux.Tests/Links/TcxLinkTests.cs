using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>tcx links on the egress of a veth end in the test's own namespace.</summary>
public sealed class TcxLinkTests
{
    [Fact]
    public void Egress_DropsAndCounts_OrdersBeforeAfter_DetachesOnDispose()
    {
        using var veth = new VethPair();
        using var counts = PacketCounters.CreateMap();
        using var prog = PacketCounters.Tc(counts, dropPort: 53);
        using var other = PacketCounters.Tc(counts, dropPort: 9, slot: 2, name: "t_tc_first", pass: -1);   // TCX_NEXT
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceB, veth.InterfaceB);
        using var dns = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, 53);
        using var pass = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, 5353);
        uint linkId;
        using (var link = KernelAssert.RunOrSkip(() => NetworkNamespace.Run(veth.NamespaceB, () => TcxLink.Attach(prog, ifindex, TcDirection.Egress))))
        {
            LinkInfo info = link.Info();
            linkId = info.Id;
            Assert.Equal(LinkType.Tcx, info.Type);
            Assert.Equal(AttachType.TcxEgress, info.AttachType);
            Assert.Equal(ifindex, info.Ifindex);

            // A second program placed before the first runs first: it sees all ten datagrams, the dropped ones too
            // (the installed bpftool predates tcx in "net show", so the counters are the evidence of the order).
            using var first = NetworkNamespace.Run(veth.NamespaceB, () => TcxLink.Attach(other, ifindex, TcDirection.Egress, TcxPlacement.Before, link));
            Assert.Contains(BpfTool.Json("link", "show").EnumerateArray(), l => l.GetProperty("id").GetUInt32() == linkId && l.GetProperty("prog_id").GetUInt32() == prog.Id);

            PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 53, 4);
            PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 5353, 6);
            Assert.Equal(6, PacketCounters.Drain(pass, 6));
            Assert.Equal(0, PacketCounters.Drain(dns, 0));
            Assert.Equal(4UL, PacketCounters.Read(counts, 0));
            Assert.Equal(6UL, PacketCounters.Read(counts, 1));
            Assert.Equal(10UL, PacketCounters.Read(counts, 3));   // the first program saw all ten and handed them on
        }
        Assert.True(HookObjects.Eventually(() => !KernelObjects.LinkIds().Contains(linkId)), $"link {linkId} outlived its dispose");
        PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 53, 2);
        Assert.Equal(2, PacketCounters.Drain(dns, 2));
    }
}
