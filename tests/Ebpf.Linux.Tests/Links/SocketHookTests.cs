using System.Net;
using System.Net.Sockets;
using Ebpf.Linux.Features;
using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>sk_lookup (steering a connection to a listener through a sockmap) and sk_msg on a sockmap.</summary>
public sealed class SocketHookTests
{
    [Fact]
    public void SkLookup_SteersPort7001ToTheListenerOn7000_DetachesOnDispose()
    {
        using var leftovers = new Leftovers();
        using var veth = leftovers.Track(new VethPair());
        string netns = NetworkNamespace.PathOf(veth.NamespaceA);
        KernelAssert.RunOrSkip(() => KernelFeatures.ProgramType(ProgramType.SkLookup).ThrowIfMissing());
        RequireSockMap();
        using var objects = leftovers.Track(HookObjects.Load("sk_lookup.o"));
        KernelProgram prog = objects.Program("steer_7001");
        using var listener = NetworkNamespace.Run(veth.NamespaceA, () =>
        {
            var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            l.Bind(new IPEndPoint(IPAddress.Loopback, 7000));
            l.Listen();
            return l;
        });
        objects.Map("target").Update(0u, (ulong)listener.SafeHandle.DangerousGetHandle());
        Assert.Equal(SocketError.ConnectionRefused, ConnectError(veth.NamespaceA, 7001));
        using (var link = KernelAssert.RunOrSkip(() => SkLookupLink.Attach(prog, netns)))
        {
            LinkInfo info = link.Info();
            Assert.Equal(LinkType.Netns, info.Type);
            Assert.Equal(AttachType.SkLookup, info.AttachType);
            Assert.NotEqual(0u, info.NetnsInode);
            Assert.Equal([prog.Id], ProgramQuery.NetworkNamespace(netns, AttachType.SkLookup).ProgramIds);

            Assert.Equal(SocketError.Success, ConnectError(veth.NamespaceA, 7001));
            using Socket accepted = listener.Accept();
            Assert.Equal(7001, ((IPEndPoint)accepted.LocalEndPoint!).Port);     // the address the client asked for
            Assert.Equal(1UL, HookObjects.Read(objects.Map("steered"), 0));
        }
        Assert.True(HookObjects.Eventually(() => ProgramQuery.NetworkNamespace(netns, AttachType.SkLookup).ProgramIds.Count == 0), "a program is still attached");
        Assert.Equal(SocketError.ConnectionRefused, ConnectError(veth.NamespaceA, 7001));
    }

    [Fact]
    public void SkLookup_RefusesPort7002_WithoutASockmap()
    {
        using var leftovers = new Leftovers();
        using var veth = leftovers.Track(new VethPair());
        string netns = NetworkNamespace.PathOf(veth.NamespaceA);
        KernelAssert.RunOrSkip(() => KernelFeatures.ProgramType(ProgramType.SkLookup).ThrowIfMissing());
        using var objects = leftovers.Track(HookObjects.Load("sk_lookup_refuse.o"));
        using var listener = NetworkNamespace.Run(veth.NamespaceA, () =>
        {
            var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            l.Bind(new IPEndPoint(IPAddress.Loopback, 7002));
            l.Listen();
            return l;
        });
        Assert.Equal(SocketError.Success, ConnectError(veth.NamespaceA, 7002));
        using (var link = KernelAssert.RunOrSkip(() => SkLookupLink.Attach(objects.Program("refuse_7002"), netns)))
        {
            Assert.Equal(SocketError.ConnectionRefused, ConnectError(veth.NamespaceA, 7002));
            Assert.Equal(1UL, HookObjects.Read(objects.Map("refused"), 0));
        }
        Assert.Equal(SocketError.Success, ConnectError(veth.NamespaceA, 7002));
    }

    [Fact]
    public void SkMsg_VerdictPassesAndDrops_OnATcpPairOverLoopback()
    {
        using var leftovers = new Leftovers();
        KernelAssert.RequireRoot();
        RequireSockMap();
        using var objects = leftovers.Track(HookObjects.Load("sk_msg.o"));
        KernelMap socks = objects.Map("socks"), verdicts = objects.Map("verdicts");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndpoint);
        using Socket server = listener.AcceptSocket();
        server.ReceiveTimeout = 300;
        using (var attachment = SockMapAttachment.Attach(objects.Program("drop_13"), socks, AttachType.SkMsgVerdict))
        {
            // BPF_PROG_QUERY on a sockmap needs Linux 5.19+; older kernels answer EINVAL.
            try { Assert.Equal([objects.Program("drop_13").Id], ProgramQuery.Map(socks, AttachType.SkMsgVerdict).ProgramIds); }
            catch (BpfException e) when (e.Errno == Errno.EINVAL) { }
            // Programs apply to sockets added after the attach.
            socks.Update(0u, (ulong)client.SafeHandle.DangerousGetHandle());
            client.Send("hello"u8);
            byte[] buffer = new byte[64];
            Assert.Equal(5, server.Receive(buffer));
            var dropped = Assert.Throws<SocketException>(() => client.Send("thirteen-byte"u8));
            Assert.Equal(SocketError.AccessDenied, dropped.SocketErrorCode);
            Assert.Equal(1UL, HookObjects.Read(verdicts, 0));
            Assert.Equal(1UL, HookObjects.Read(verdicts, 1));
            Assert.True(socks.Delete(BitConverter.GetBytes(0u)));
        }
        client.Send("thirteen-byte"u8);
        byte[] rest = new byte[64];
        Assert.Equal(13, server.Receive(rest));
        Assert.Equal(1UL, HookObjects.Read(verdicts, 1));
    }

    // Some kernels compile sockmaps out (CONFIG_BPF_STREAM_PARSER / CONFIG_NET_SOCK_MSG): a configuration, not a probe error.
    private static void RequireSockMap()
    {
        if (!KernelFeatures.MapType(MapType.SockMap).IsSupported)
            Assert.Skip($"BPF_MAP_TYPE_SOCKMAP cannot be created on Linux {KernelAssert.KernelRelease} (compiled out)");
    }

    private static SocketError ConnectError(string ns, int port) => NetworkNamespace.Run(ns, () =>
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try { s.Connect(IPAddress.Loopback, port); return SocketError.Success; }
        catch (SocketException e) { return e.SocketErrorCode; }
    });
}
