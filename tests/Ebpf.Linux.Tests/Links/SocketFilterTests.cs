using System.Net;
using System.Net.Sockets;
using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>SO_ATTACH_BPF on a UDP socket bound to 127.0.0.1: the filter sees the socket's traffic and drops some.</summary>
public sealed class SocketFilterTests
{
    [Fact]
    public void Filter_CountsEveryDatagram_DropsLargeOnes_DetachOnDispose()
    {
        using var leftovers = new Leftovers();
        KernelAssert.RequireRoot();
        using var objects = leftovers.Track(HookObjects.Load("socket_filter.o"));
        KernelMap seen = objects.Map("seen");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 200 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using (SocketFilter.Attach(objects.Program("filter_small"), socket))
        {
            Send(socket, small: 3, large: 2);
            Assert.Equal(3, PacketCounters.Drain(socket, 3));
            Assert.Equal(5UL, HookObjects.Read(seen, 0));
            Assert.Equal(2UL, HookObjects.Read(seen, 1));
        }
        Send(socket, small: 1, large: 2);
        Assert.Equal(3, PacketCounters.Drain(socket, 3));
        Assert.Equal(5UL, HookObjects.Read(seen, 0));
    }

    [Fact]
    public void Attach_RejectsAProgramOfAnotherType()
    {
        using var leftovers = new Leftovers();
        KernelAssert.RequireRoot();
        using var objects = leftovers.Track(HookObjects.Load("tc_dscp.o"));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Assert.Throws<ArgumentException>(() => SocketFilter.Attach(objects.Program("mark_dscp"), socket));
    }

    private static void Send(Socket to, int small, int large)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        for (int i = 0; i < small + large; i++) s.SendTo(new byte[i < small ? 10 : 200], to.LocalEndPoint!);
    }
}
