using System.Text.Json;
using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>
/// XDP drop/pass on a quiet veth pair, native and generic, by link and by netlink: the program's counters and the
/// interfaces' own counters tell the same story: the receiving interface counts every frame (<c>ip -s link</c>:
/// veth counts XDP drops as received, not as rx_dropped), the namespace's UDP layer only the passed ones
/// (/proc/net/snmp InDatagrams), and in native mode the driver's XDP statistics (<c>ethtool -S</c>) the drops.
/// </summary>
public sealed class XdpCounterTests
{
    [Theory]
    [InlineData(XdpMode.Native, false)]
    [InlineData(XdpMode.Generic, false)]
    [InlineData(XdpMode.Native, true)]
    [InlineData(XdpMode.Generic, true)]
    public void DropAndPass_CountedByMapAndInterface(XdpMode mode, bool netlink)
    {
        using var leftovers = new Leftovers();
        using var veth = leftovers.Track(new VethPair());
        HookObjects.Quiet(veth);
        using var counts = PacketCounters.CreateMap();
        using var prog = leftovers.Track(PacketCounters.Xdp(counts, dropPort: 53));
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA);
        using var dns = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, 53);
        using var other = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, 5353);
        var a0 = Stats(veth.NamespaceA, veth.InterfaceA);
        var b0 = Stats(veth.NamespaceB, veth.InterfaceB);
        ulong udp0 = UdpInDatagrams(veth.NamespaceA), xdpDrops0 = HasEthtool ? XdpDrops(veth.NamespaceA, veth.InterfaceA) : 0;
        using (NetworkNamespace.Run(veth.NamespaceA, () => netlink ? (IDisposable)XdpNetlinkAttachment.Attach(prog, ifindex, mode) : XdpLink.Attach(prog, ifindex, mode)))
        {
            PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 53, 5);
            PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 5353, 7);
            Assert.Equal(7, PacketCounters.Drain(other, 7));
            Assert.Equal(0, PacketCounters.Drain(dns, 0));
            Assert.Equal(5UL, PacketCounters.WaitFor(counts, 0, 5));
            Assert.Equal(7UL, PacketCounters.WaitFor(counts, 1, 7));
            string shown = VethPair.IpIn(veth.NamespaceA, "-d", "link", "show", "dev", veth.InterfaceA);
            Assert.Contains($"{(mode == XdpMode.Native ? "xdp" : "xdpgeneric")} ", shown, StringComparison.Ordinal);
            Assert.Contains($"prog/xdp id {prog.Id}", shown, StringComparison.Ordinal);
            string net = VethPair.RunIn(veth.NamespaceA, "bpftool", "net", "show", "dev", veth.InterfaceA);
            Assert.Contains($"id {prog.Id}", net, StringComparison.Ordinal);
            Assert.Contains(mode == XdpMode.Native ? "driver" : "generic", net, StringComparison.Ordinal);
        }
        Assert.True(HookObjects.Eventually(() => !VethPair.IpIn(veth.NamespaceA, "-d", "link", "show", "dev", veth.InterfaceA).Contains("prog/xdp", StringComparison.Ordinal)), "XDP is still attached");
        var a1 = Stats(veth.NamespaceA, veth.InterfaceA);
        var b1 = Stats(veth.NamespaceB, veth.InterfaceB);
        Assert.Equal(12UL, b1.TxPackets - b0.TxPackets);
        Assert.Equal(12UL, a1.RxPackets - a0.RxPackets);
        Assert.Equal(7UL, UdpInDatagrams(veth.NamespaceA) - udp0);
        if (mode == XdpMode.Native && HasEthtool) Assert.Equal(5UL, XdpDrops(veth.NamespaceA, veth.InterfaceA) - xdpDrops0);
    }

    // The UDP layer's delivered datagrams in the namespace.
    private static ulong UdpInDatagrams(string ns) => VethPair.UdpCounters(ns)["InDatagrams"];

    // ethtool is optional on the kernel-matrix guests: the other counters carry the test there.
    private static readonly string? s_ethtool = new[] { "/usr/sbin/ethtool", "/sbin/ethtool" }.FirstOrDefault(File.Exists);

    private static bool HasEthtool => s_ethtool is not null;

    // veth's per-queue XDP statistics (ethtool -S): the frames its XDP programs dropped.
    private static ulong XdpDrops(string ns, string device) =>
        VethPair.RunIn(ns, s_ethtool!, "-S", device).Split('\n')
            .Select(l => l.Trim().Split(':', StringSplitOptions.TrimEntries))
            .Where(f => f.Length == 2 && f[0].StartsWith("rx_queue_", StringComparison.Ordinal) && f[0].EndsWith("_xdp_drops", StringComparison.Ordinal))
            .Aggregate(0UL, (sum, f) => sum + ulong.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));

    private static (ulong RxPackets, ulong RxDropped, ulong TxPackets, ulong TxDropped) Stats(string ns, string device)
    {
        using var doc = JsonDocument.Parse(VethPair.IpIn(ns, "-s", "-j", "link", "show", "dev", device));
        JsonElement s = doc.RootElement[0].GetProperty("stats64");
        JsonElement rx = s.GetProperty("rx"), tx = s.GetProperty("tx");
        return (rx.GetProperty("packets").GetUInt64(), rx.GetProperty("dropped").GetUInt64(), tx.GetProperty("packets").GetUInt64(), tx.GetProperty("dropped").GetUInt64());
    }
}
