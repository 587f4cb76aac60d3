using Ebpf.Linux.Links;
using Ebpf.Linux.Netlink;
using Ebpf.Linux.NetNs;
using Ebpf.Linux.Tests.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Netlink;

/// <summary>The tc filter dump on a veth end in the test's own namespace: filters added by Ebpf.Linux and by <c>tc</c>.</summary>
public sealed class TcBpfFilterTests
{
    [Fact]
    public void List_ReportsEachHooksFilters_WithProgramPriorityHandleAndMode()
    {
        using var veth = new VethPair();
        using var pins = new BpfFsDirectory();
        using var counts = PacketCounters.CreateMap();
        using var prog = PacketCounters.Tc(counts, dropPort: 53);
        string ns = veth.NamespaceA;
        int ifindex = NetworkNamespace.InterfaceIndex(ns, veth.InterfaceA);
        IReadOnlyList<TcBpfFilter> List(TcFilterParent parent) => NetworkNamespace.Run(ns, () => TcBpfFilter.List(ifindex, parent));

        Assert.Empty(List(TcFilterParent.ClsactIngress));   // no clsact qdisc yet: an empty dump, not an error
        using (NetworkNamespace.Run(ns, () => ClsactAttachment.Attach(prog, ifindex, TcDirection.Ingress, priority: 7, handle: 3)))
        {
            Assert.Equal([new TcBpfFilter(ifindex, TcFilterParent.ClsactIngress, 7, 3, prog.Id, prog.Name, DirectAction: true)], List(TcFilterParent.ClsactIngress));
            Assert.Empty(List(TcFilterParent.ClsactEgress));
            Assert.Empty(List(TcFilterParent.Root));

            // A filter tc adds, without direct action, is read the same way (tc -n would remount /sys and hide bpffs).
            prog.Pin(pins["tc"]);
            VethPair.RunIn(ns, "tc", "filter", "add", "dev", veth.InterfaceA, "egress", "prio", "5", "handle", "9", "bpf", "pinned", pins["tc"]);
            TcBpfFilter egress = Assert.Single(List(TcFilterParent.ClsactEgress));
            Assert.Equal((ifindex, TcFilterParent.ClsactEgress, (ushort)5, 9u, prog.Id, false),
                (egress.Ifindex, egress.Parent, egress.Priority, egress.Handle, egress.ProgramId, egress.DirectAction));
            Assert.Contains($"id {prog.Id}", ExternalTool.Run("tc", "-n", ns, "filter", "show", "dev", veth.InterfaceA, "egress"), StringComparison.Ordinal);
        }
        Assert.Empty(List(TcFilterParent.ClsactIngress));
    }
}
