using System.Net;
using System.Net.Sockets;
using Ebpf.Asm;
using Ebpf.Linux.NetNs;

namespace Ebpf.Linux.Tests.Links;

/// <summary>
/// The packet programs of the attach tests: count IPv4 UDP frames into an array map (slot <c>base</c> for dropped,
/// <c>base + 1</c> for passed) and drop those to one port. Everything that is not IPv4 UDP passes uncounted (ARP).
/// </summary>
internal static class PacketCounters
{
    /// <summary>An array map of 8 u64 counters.</summary>
    internal static KernelMap CreateMap() => KernelMap.Create(MapType.Array, 4, 8, 8, "t_counts");

    /// <summary>An XDP program (XDP_DROP / XDP_PASS).</summary>
    internal static KernelProgram Xdp(KernelMap counts, int dropPort, int slot = 0, string name = "t_xdp_udp") =>
        Build(ProgramType.Xdp, counts, dropPort, slot, name, dataOffset: 0, dataEndOffset: 4, drop: 1, pass: 2);

    /// <summary>
    /// A TC classifier (direct action: TC_ACT_SHOT / TC_ACT_OK), reading the packet through __sk_buff. In a tcx chain
    /// any verdict but TCX_NEXT (-1) ends the chain, so a program that must let later ones run passes with -1.
    /// </summary>
    internal static KernelProgram Tc(KernelMap counts, int dropPort, int slot = 0, string name = "t_tc_udp", int pass = 0) =>
        Build(ProgramType.SchedClassifier, counts, dropPort, slot, name, dataOffset: 76, dataEndOffset: 80, drop: 2, pass: pass);

    private static KernelProgram Build(ProgramType type, KernelMap counts, int dropPort, int slot, string name,
        short dataOffset, short dataEndOffset, int drop, int pass, AttachType? attachType = null)
    {
        int portBigEndian = (ushort)IPAddress.HostToNetworkOrder((short)dropPort);
        var b = new ProgramBuilder()
            .Load(MemorySize.Word, Register.R2, Register.R1, dataOffset)
            .Load(MemorySize.Word, Register.R3, Register.R1, dataEndOffset)
            .Mov(Register.R7, pass)
            .Mov(Register.R4, Register.R2).Add(Register.R4, 38)                 // eth 14 + ip 20 + udp ports 4
            .JumpIf(JumpOperation.Jgt, Register.R4, Register.R3, "out")
            .Load(MemorySize.Half, Register.R5, Register.R2, 12)
            .JumpIf(JumpOperation.Jne, Register.R5, 0x0008, "out")              // ETH_P_IP, read little-endian
            .Load(MemorySize.Byte, Register.R5, Register.R2, 23)
            .JumpIf(JumpOperation.Jne, Register.R5, 17, "out")                  // IPPROTO_UDP
            .Mov(Register.R8, slot + 1)
            .Load(MemorySize.Half, Register.R5, Register.R2, 36)
            .JumpIf(JumpOperation.Jne, Register.R5, portBigEndian, "count")
            .Mov(Register.R7, drop).Mov(Register.R8, slot)
            .Label("count")
            .Store(MemorySize.Word, Register.R10, -4, Register.R8)
            .LoadMapFd(Register.R1, (int)counts.Handle.DangerousGetHandle())
            .Mov(Register.R2, Register.R10).Add(Register.R2, -4)
            .Call(1)                                                             // bpf_map_lookup_elem
            .JumpIf(JumpOperation.Jeq, Register.R0, 0, "out")
            .Mov(Register.R1, 1)
            .Atomic(AtomicOperation.Add, MemorySize.DoubleWord, Register.R0, 0, Register.R1)
            .Label("out")
            .Mov(Register.R0, Register.R7)
            .Exit();
        return ProgramLoader.Load(new ProgramLoadOptions { Type = type, Name = name, Instructions = b.Build(), ExpectedAttachType = attachType });
    }

    /// <summary>Counter <paramref name="slot"/> of <paramref name="counts"/>.</summary>
    internal static ulong Read(KernelMap counts, int slot) => counts.TryLookup((uint)slot, out ulong v) ? v : 0;

    /// <summary>
    /// Counter <paramref name="slot"/> once it reached <paramref name="expected"/> (or its value after a generous bound):
    /// receive-side programs (XDP, netfilter) run in softirq after the sender's call returned, later on a loaded
    /// machine. The caller asserts equality, so a count above the expected one still fails.
    /// </summary>
    internal static ulong WaitFor(KernelMap counts, int slot, ulong expected) =>
        Ebpf.Testing.Wait.For(() => Read(counts, slot), v => v >= expected);

    /// <summary>A UDP socket bound to <paramref name="address"/>:<paramref name="port"/> inside namespace <paramref name="ns"/>.</summary>
    internal static Socket Receiver(string ns, string address, int port) => NetworkNamespace.Run(ns, () =>
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 200 };
        s.Bind(new IPEndPoint(IPAddress.Parse(address), port));
        return s;
    });

    /// <summary>Sends <paramref name="count"/> datagrams from a socket bound inside <paramref name="ns"/> to <paramref name="to"/>:<paramref name="port"/>.</summary>
    internal static void Send(string ns, string from, string to, int port, int count, int delayMs = 0) => NetworkNamespace.Run(ns, () =>
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        var target = new IPEndPoint(IPAddress.Parse(to), port);
        byte[] payload = "ebpf-net attach test"u8.ToArray();
        for (int i = 0; i < count; i++)
        {
            s.SendTo(payload, target);
            if (delayMs > 0) Thread.Sleep(delayMs);
        }
    });

    /// <summary>
    /// The datagrams that reached <paramref name="socket"/>: waits (boundedly) until <paramref name="expected"/> came,
    /// since delivery runs in softirq and lags the sender on a loaded machine, then reads on until 200 ms pass
    /// without one, so datagrams beyond the expected ones are counted too and fail the caller's assertion.
    /// </summary>
    internal static int Drain(Socket socket, int expected)
    {
        byte[] buffer = new byte[2048];
        int n = 0;
        long deadline = Environment.TickCount64 + (long)Ebpf.Testing.Wait.Generous.TotalMilliseconds;
        while (n < expected && Environment.TickCount64 < deadline)
            if (socket.Poll(TimeSpan.FromMilliseconds(100), SelectMode.SelectRead)) { socket.Receive(buffer); n++; }
        while (socket.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead)) { socket.Receive(buffer); n++; }
        return n;
    }
}
