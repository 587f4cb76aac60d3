using System.Net;
using System.Net.Sockets;
using Ebpf.Linux.Features;
using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>Tc.Attach on a veth egress, by tcx and by clsact: a program rewrites the DSCP, the peer sees it.</summary>
public sealed class TcAttachTests
{
    private const int Port = 5353, DscpEf = 46;

    [Theory]
    [InlineData(TcAttachMode.Tcx)]
    [InlineData(TcAttachMode.Clsact)]
    public void Egress_MarksDscp_PeerSeesItWithValidChecksum_DetachesOnDispose(TcAttachMode mode)
    {
        using var leftovers = new Leftovers();
        using var veth = leftovers.Track(new VethPair());
        using var objects = leftovers.Track(HookObjects.Load("tc_dscp.o"));
        KernelProgram prog = objects.Program("mark_dscp");
        KernelMap marked = objects.Map("marked");
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceB, veth.InterfaceB);
        using var udp = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, Port);
        using var raw = RawUdp(veth.NamespaceA);
        using (var attachment = KernelAssert.RunOrSkip(() => NetworkNamespace.Run(veth.NamespaceB, () => Tc.Attach(prog, ifindex, TcDirection.Egress, mode))))
        {
            Assert.Equal(mode, attachment.Mode);
            Assert.Equal(TcDirection.Egress, attachment.Direction);
            Assert.Equal([prog.Id], NetworkNamespace.Run(veth.NamespaceB, () => Tc.Query(ifindex, TcDirection.Egress)));
            if (mode == TcAttachMode.Clsact)
            {
                Assert.Contains("clsact", VethPair.RunIn(veth.NamespaceB, "tc", "qdisc", "show", "dev", veth.InterfaceB), StringComparison.Ordinal);
                Assert.Contains($"id {prog.Id}", VethPair.RunIn(veth.NamespaceB, "tc", "filter", "show", "dev", veth.InterfaceB, "egress"), StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains(Link.List(), l => l.Type == LinkType.Tcx && l.ProgramId == prog.Id && l.Ifindex == ifindex);
            }

            PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, Port, 5);
            Assert.Equal(5, PacketCounters.Drain(udp, 5));           // IPv4 drops packets with a bad header checksum
            Assert.Equal(Enumerable.Repeat(DscpEf, 5), ReceivedDscp(raw));
            Assert.Equal(5UL, HookObjects.Read(marked, 0));
        }
        Assert.True(HookObjects.Eventually(() => NetworkNamespace.Run(veth.NamespaceB, () => Tc.Query(ifindex, TcDirection.Egress)).Count == 0), "a program is still attached");
        Assert.DoesNotContain("clsact", VethPair.RunIn(veth.NamespaceB, "tc", "qdisc", "show", "dev", veth.InterfaceB), StringComparison.Ordinal);
        PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, Port, 2);
        Assert.Equal(2, PacketCounters.Drain(udp, 2));
        Assert.Equal([0, 0], ReceivedDscp(raw));
    }

    [Fact]
    public void Auto_PicksTcxWhenProbed_ClsactOtherwise()
    {
        using var leftovers = new Leftovers();
        using var veth = leftovers.Track(new VethPair());
        using var objects = leftovers.Track(HookObjects.Load("tc_dscp.o"));
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceB, veth.InterfaceB);
        using var attachment = NetworkNamespace.Run(veth.NamespaceB, () => Tc.Attach(objects.Program("mark_dscp"), ifindex, TcDirection.Ingress));
        Assert.Equal(KernelFeatures.LinkType(LinkType.Tcx).IsSupported ? TcAttachMode.Tcx : TcAttachMode.Clsact, attachment.Mode);
        Assert.Equal(attachment.Mode == TcAttachMode.Tcx, attachment is TcxLink);
    }

    // A raw IPv4 socket for UDP receives a copy of every UDP datagram with its IP header: byte 1 is the TOS.
    private static Socket RawUdp(string ns) => NetworkNamespace.Run(ns, () =>
        new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Udp) { ReceiveTimeout = 200 });

    private static List<int> ReceivedDscp(Socket raw)
    {
        var dscp = new List<int>();
        byte[] buffer = new byte[2048];
        while (true)
        {
            int n;
            try { n = raw.Receive(buffer); }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock) { return dscp; }
            int ihl = (buffer[0] & 0xF) * 4;
            if (n >= ihl + 4 && IPAddress.NetworkToHostOrder(BitConverter.ToInt16(buffer, ihl + 2)) == Port) dscp.Add(buffer[1] >> 2);
        }
    }
}
