using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>clsact + cls_bpf direct-action over netlink, checked with <c>tc</c>, on a veth end in the test's own namespace.</summary>
public sealed class ClsactAttachmentTests
{
    [Fact]
    public void Egress_DropsAndCounts_TcShowsFilter_RemovedOnDispose()
    {
        using var veth = new VethPair();
        using var counts = PacketCounters.CreateMap();
        using var prog = PacketCounters.Tc(counts, dropPort: 53);
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceB, veth.InterfaceB);
        using var dns = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, 53);
        using var pass = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, 5353);
        using (NetworkNamespace.Run(veth.NamespaceB, () => ClsactAttachment.Attach(prog, ifindex, TcDirection.Egress, priority: 7, handle: 3)))
        {
            string filters = ExternalTool.Run("tc", "-n", veth.NamespaceB, "filter", "show", "dev", veth.InterfaceB, "egress");
            Assert.Contains("pref 7 bpf", filters, StringComparison.Ordinal);
            Assert.Contains("direct-action", filters, StringComparison.Ordinal);
            Assert.Contains($"id {prog.Id}", filters, StringComparison.Ordinal);
            PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 53, 4);
            PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 5353, 6);
            Assert.Equal(6, PacketCounters.Drain(pass, 6));
            Assert.Equal(0, PacketCounters.Drain(dns, 0));
            Assert.Equal(4UL, PacketCounters.Read(counts, 0));
            Assert.Equal(6UL, PacketCounters.Read(counts, 1));
        }
        Assert.DoesNotContain("clsact", ExternalTool.Run("tc", "-n", veth.NamespaceB, "qdisc", "show", "dev", veth.InterfaceB), StringComparison.Ordinal);
        PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 53, 2);
        Assert.Equal(2, PacketCounters.Drain(dns, 2));
    }
}
