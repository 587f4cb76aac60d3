using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>XDP links on a veth pair in the test's own namespaces: the kernel, ip and bpftool agree on the attachment.</summary>
public sealed class XdpLinkTests
{
    [Theory]
    [InlineData(XdpMode.Native, "xdp")]
    [InlineData(XdpMode.Generic, "xdpgeneric")]
    public void Attach_DropsUdpToPort53_PassesOthers_DetachesOnDispose(XdpMode mode, string ipKeyword)
    {
        using var veth = new VethPair();
        using var counts = PacketCounters.CreateMap();
        using var prog = PacketCounters.Xdp(counts, dropPort: 53);
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA);
        using var dns = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, 53);
        using var other = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, 5353);
        uint linkId;
        using (var link = NetworkNamespace.Run(veth.NamespaceA, () => XdpLink.Attach(prog, ifindex, mode)))
        {
            LinkInfo info = link.Info();
            linkId = info.Id;
            Assert.Equal(LinkType.Xdp, info.Type);
            Assert.Equal(prog.Id, info.ProgramId);
            Assert.Equal(ifindex, info.Ifindex);
            Assert.Contains(Link.List(), l => l.Id == linkId);

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
            Assert.Contains(mode == XdpMode.Native ? "driver" : "generic", net, StringComparison.Ordinal);
        }
        Assert.True(HookObjects.Eventually(() => !VethPair.IpIn(veth.NamespaceA, "-d", "link", "show", "dev", veth.InterfaceA).Contains("prog/xdp", StringComparison.Ordinal)), "XDP is still attached");
        Assert.True(HookObjects.Eventually(() => !KernelObjects.LinkIds().Contains(linkId)), $"link {linkId} outlived its dispose");
        PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 53, 3);
        Assert.Equal(3, PacketCounters.Drain(dns, 3));
    }

    [Fact]
    public void Update_ReplacesProgramAtomically_UnderTraffic()
    {
        using var veth = new VethPair();
        using var counts = PacketCounters.CreateMap();
        using var first = PacketCounters.Xdp(counts, dropPort: 53, slot: 0, name: "t_xdp_first");
        using var second = PacketCounters.Xdp(counts, dropPort: 53, slot: 2, name: "t_xdp_second");
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA);
        using var link = NetworkNamespace.Run(veth.NamespaceA, () => XdpLink.Attach(first, ifindex, XdpMode.Native));
        const int Total = 400, BeforeSwap = Total / 2;
        Exception? failed = null;
        using var swapped = new ManualResetEventSlim();
        // The sender sends half, then waits for the swap before the rest: on a loaded machine the swap can come late,
        // and a stream that ended first would leave the second program nothing to count.
        var sender = new Thread(() =>
        {
            try
            {
                PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 5353, BeforeSwap, delayMs: 1);
                if (!swapped.Wait(Wait.Generous)) throw new TimeoutException("the program was not swapped");
                PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 5353, Total - BeforeSwap, delayMs: 1);
            }
            catch (Exception e) { failed = e; }
        });
        sender.Start();
        Assert.True(Wait.Until(() => PacketCounters.Read(counts, 1) >= 20), "the first program saw no traffic");
        link.Update(second, expected: first);
        swapped.Set();
        Assert.True(sender.Join(Wait.Generous), "sender did not finish");
        Assert.Null(failed);
        // XDP runs in the receiver's softirq: the last frames are counted a moment after the sender returned.
        ulong Both() => PacketCounters.Read(counts, 1) + PacketCounters.Read(counts, 3);
        Assert.Equal((ulong)Total, Wait.For(Both, n => n >= Total));
        ulong byFirst = PacketCounters.Read(counts, 1), bySecond = PacketCounters.Read(counts, 3);
        Assert.True(byFirst > 0 && bySecond > 0, $"first {byFirst}, second {bySecond}");
        Assert.Equal(second.Id, link.Info().ProgramId);
        var ex = Assert.Throws<BpfException>(() => link.Update(first, expected: first));
        Assert.Equal(Errno.EPERM, ex.Errno);
    }

    [Fact]
    public void Pin_KeepsAttached_OpenPinnedReadopts()
    {
        using var veth = new VethPair();
        using var dir = new BpfFsDirectory();
        using var counts = PacketCounters.CreateMap();
        using var prog = PacketCounters.Xdp(counts, dropPort: 53);
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA);
        using (var link = NetworkNamespace.Run(veth.NamespaceA, () => XdpLink.Attach(prog, ifindex)))
            link.Pin(dir["link"]);
        Assert.Contains($"prog/xdp id {prog.Id}", VethPair.IpIn(veth.NamespaceA, "-d", "link", "show", "dev", veth.InterfaceA), StringComparison.Ordinal);
        using (var again = Link.OpenPinned(dir["link"]))
        {
            Assert.Equal(LinkType.Xdp, again.Info().Type);
            Assert.True(Link.Unpin(dir["link"]));
        }
        Assert.True(HookObjects.Eventually(() => !VethPair.IpIn(veth.NamespaceA, "-d", "link", "show", "dev", veth.InterfaceA).Contains("prog/xdp", StringComparison.Ordinal)), "XDP is still attached");
    }
}
