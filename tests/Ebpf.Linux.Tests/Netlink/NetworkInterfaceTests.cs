using System.Globalization;
using Ebpf.Linux.Links;
using Ebpf.Linux.Netlink;
using Ebpf.Linux.NetNs;
using Ebpf.Linux.Tests.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Netlink;

/// <summary>The rtnetlink interface dump and lookups, in the test's own namespaces, checked against <c>ip</c>.</summary>
public sealed class NetworkInterfaceTests
{
    [Fact]
    public void List_IsWhatIpLists_InTheCallingNamespaceOnly()
    {
        using var veth = new VethPair();
        IReadOnlyList<NetworkInterface> a = NetworkNamespace.Run(veth.NamespaceA, NetworkInterface.List);
        Assert.Equal(IpLinks(veth.NamespaceA), a.Select(i => (i.Ifindex, i.Name)));
        Assert.Contains(a, i => i.Name == "lo");
        NetworkInterface end = Assert.Single(a, i => i.Name == veth.InterfaceA);
        Assert.Equal(NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA), end.Ifindex);
        Assert.DoesNotContain(a, i => i.Name == veth.InterfaceB);   // the peer lives in the other namespace
        Assert.All(a, i => Assert.Empty(i.XdpPrograms));
        Assert.Contains(NetworkNamespace.Run(veth.NamespaceB, NetworkInterface.List), i => i.Name == veth.InterfaceB);
    }

    [Fact]
    public void GetAndTryGet_FindTheInterface_ByIndexAndName_WithItsXdpProgram()
    {
        using var veth = new VethPair();
        using var counts = PacketCounters.CreateMap();
        using var prog = PacketCounters.Xdp(counts, dropPort: 53);
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA);
        using (NetworkNamespace.Run(veth.NamespaceA, () => XdpNetlinkAttachment.Attach(prog, ifindex, XdpMode.Generic)))
        {
            NetworkInterface byIndex = NetworkNamespace.Run(veth.NamespaceA, () => NetworkInterface.Get(ifindex));
            Assert.Equal(veth.InterfaceA, byIndex.Name);
            Assert.Equal([new XdpAttachmentInfo(prog.Id, XdpAttachedMode.Generic)], byIndex.XdpPrograms);
            Assert.Contains($"prog/xdp id {prog.Id}", VethPair.IpIn(veth.NamespaceA, "-d", "link", "show", "dev", veth.InterfaceA), StringComparison.Ordinal);
            var (found, byName) = NetworkNamespace.Run(veth.NamespaceA, () => (NetworkInterface.TryGet(veth.InterfaceA, out NetworkInterface? i), i));
            Assert.True(found);
            Assert.Equal(ifindex, byName!.Ifindex);
            Assert.Equal(byIndex.XdpPrograms, byName.XdpPrograms);
        }
        Assert.Empty(NetworkNamespace.Run(veth.NamespaceA, () => NetworkInterface.Get(ifindex)).XdpPrograms);
    }

    [Fact]
    public void Misses_AreFalseByName_AndEnodevByIndex()
    {
        using var veth = new VethPair();
        // The veth end of namespace B is unknown in namespace A, by name and by B's index (A holds fewer interfaces).
        Assert.False(NetworkNamespace.Run(veth.NamespaceA, () => NetworkInterface.TryGet(veth.InterfaceB, out _)));
        var e = Assert.Throws<BpfException>(() => NetworkNamespace.Run(veth.NamespaceA, () => NetworkInterface.Get(100_000)));
        Assert.Equal(Errno.ENODEV, e.Errno);
    }

    /// <summary>(index, name) of every interface <c>ip -o link show</c> lists in <paramref name="ns"/>, in its order.</summary>
    private static IEnumerable<(int, string)> IpLinks(string ns) =>
        VethPair.IpIn(ns, "-o", "link", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            string[] f = line.Split(": ", 3);   // "7: veth-a@if6: <BROADCAST,...>"
            return (int.Parse(f[0], CultureInfo.InvariantCulture), f[1].Split('@')[0]);
        });
}
