using System.Net;
using System.Net.Sockets;
using Ebpf.Asm;
using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>
/// Atomic replacement under traffic: a bounded UDP stream crosses a quiet veth pair while the program on the
/// receiving end is replaced 100 times. Both versions count every frame into one shared map, so "no packet ran
/// without a program" reads: frames counted by the two versions == frames the interface received == datagrams sent.
/// </summary>
public sealed class ReplacementTests(ITestOutputHelper output)
{
    public enum Hook { XdpLink, XdpNetlink, Tcx, Clsact }

    // The sender stays at most AheadPerReplacement datagrams ahead of the replacements, so a slow machine (one
    // emulated CPU, or a loaded host where each swap takes milliseconds) never runs out of stream before the last swap.
    private const int Replacements = 100, AheadPerReplacement = 150, MaxDatagrams = 20000, Port = 5353;

    [Theory]
    [InlineData(Hook.XdpLink)]
    [InlineData(Hook.XdpNetlink)]
    [InlineData(Hook.Tcx)]
    [InlineData(Hook.Clsact)]
    public void Replace100Times_UnderTraffic_NoFrameUnprocessed(Hook hook)
    {
        using var leftovers = new Leftovers();
        using var veth = leftovers.Track(new VethPair());
        HookObjects.Quiet(veth);
        using var counts = PacketCounters.CreateMap();
        bool xdp = hook is Hook.XdpLink or Hook.XdpNetlink;
        using var first = leftovers.Track(CountAll(counts, xdp, slot: 0, "t_repl_first"));
        using var second = leftovers.Track(CountAll(counts, xdp, slot: 1, "t_repl_second"));
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA);
        using var receiver = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, Port);
        receiver.ReceiveBufferSize = 4 << 20;
        var (rxBefore, _) = HookObjects.Counters(veth.NamespaceA, veth.InterfaceA);
        Dictionary<string, ulong> udpBefore = VethPair.UdpCounters(veth.NamespaceA);
        var (attachment, update) = KernelAssert.RunOrSkip(() => NetworkNamespace.Run(veth.NamespaceA, () => Attach(hook, first, ifindex)));
        using (attachment)
        {
            int sent = 0, received = 0, replaced = 0;
            bool stop = false;
            Exception? failed = null;
            var sender = new Thread(() =>
            {
                try
                {
                    NetworkNamespace.Run(veth.NamespaceB, () =>
                    {
                        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                        s.Bind(new IPEndPoint(IPAddress.Parse(veth.AddressB), 0));
                        var target = new IPEndPoint(IPAddress.Parse(veth.AddressA), Port);
                        byte[] payload = new byte[64];
                        while (!Volatile.Read(ref stop) && sent < MaxDatagrams)
                        {
                            if (sent >= (Volatile.Read(ref replaced) + 1) * AheadPerReplacement)
                            {
                                Thread.Sleep(1);
                                continue;
                            }
                            s.SendTo(payload, target);
                            if (++sent % 16 == 0) Thread.Sleep(1);
                        }
                    });
                }
                catch (Exception e) { failed = e; }
            });
            var reader = new Thread(() =>
            {
                byte[] buffer = new byte[2048];
                while (true)
                {
                    try { receiver.Receive(buffer); received++; }
                    catch (SocketException) { if (!sender.IsAlive) return; }
                }
            });
            sender.Start();
            reader.Start();
            KernelProgram current = first, next = second;
            int replacedUnderTraffic = 0;
            for (int i = 0; i < Replacements; i++)
            {
                // Wait for traffic through the current version before swapping, so every swap happens mid-stream.
                ulong seen = Total(counts);
                SpinWait.SpinUntil(() => Total(counts) >= seen + 4 || !sender.IsAlive, TimeSpan.FromSeconds(5));
                if (sender.IsAlive) replacedUnderTraffic++;
                update(next, current);
                Interlocked.Increment(ref replaced);
                (current, next) = (next, current);
            }
            ulong afterLast = Total(counts);
            SpinWait.SpinUntil(() => Total(counts) >= afterLast + 4 || !sender.IsAlive, TimeSpan.FromSeconds(5));
            Volatile.Write(ref stop, true);
            Assert.True(sender.Join(TimeSpan.FromSeconds(60)), "sender did not stop");
            Assert.True(reader.Join(TimeSpan.FromSeconds(60)), "reader did not stop");
            Assert.Null(failed);
            Assert.True(sent < MaxDatagrams, "the stream ended before the last replacement");
            Assert.Equal(Replacements, replacedUnderTraffic);

            ulong byFirst = PacketCounters.Read(counts, 0), bySecond = PacketCounters.Read(counts, 1);
            var (rxAfter, _) = HookObjects.Counters(veth.NamespaceA, veth.InterfaceA);
            output.WriteLine($"{hook}: {Replacements} replacements, {sent} datagrams, first version {byFirst}, second {bySecond}, interface rx {rxAfter - rxBefore}, received {received}");
            Assert.True(byFirst > 0 && bySecond > 0, $"first {byFirst}, second {bySecond}");
            Assert.Equal((ulong)sent, byFirst + bySecond);
            Assert.Equal((ulong)sent, rxAfter - rxBefore);
            // Every datagram the programs passed reached UDP: queued to the socket, or dropped for a full socket
            // buffer when the reader fell behind (the guests of the kernel matrix run it on one emulated CPU).
            Dictionary<string, ulong> udpAfter = VethPair.UdpCounters(veth.NamespaceA);
            ulong queued = udpAfter["InDatagrams"] - udpBefore["InDatagrams"], full = udpAfter["RcvbufErrors"] - udpBefore["RcvbufErrors"];
            Assert.True((ulong)sent == queued + full, $"sent {sent}, UDP queued {queued} + dropped for a full buffer {full}");
            Assert.Equal(queued, (ulong)received);
        }
    }

    private static ulong Total(KernelMap counts) => PacketCounters.Read(counts, 0) + PacketCounters.Read(counts, 1);

    private static (IDisposable, Action<KernelProgram, KernelProgram>) Attach(Hook hook, KernelProgram program, int ifindex)
    {
        switch (hook)
        {
            case Hook.XdpLink:
                var link = XdpLink.Attach(program, ifindex, XdpMode.Native);
                return (link, (next, current) => link.Update(next, expected: current));
            case Hook.XdpNetlink:
                var netlink = XdpNetlinkAttachment.Attach(program, ifindex, XdpMode.Native);
                return (netlink, (next, current) => netlink.Update(next, expected: current));
            default:
                var tc = Tc.Attach(program, ifindex, TcDirection.Ingress, hook == Hook.Tcx ? TcAttachMode.Tcx : TcAttachMode.Clsact);
                return (tc, (next, _) => tc.Update(next));
        }
    }

    // Counts every frame into counter `slot` and lets it pass (XDP_PASS / TC_ACT_OK).
    private static KernelProgram CountAll(KernelMap counts, bool xdp, int slot, string name)
    {
        var b = new ProgramBuilder()
            .Store(MemorySize.Word, Register.R10, -4, slot)
            .LoadMapFd(Register.R1, (int)counts.Handle.DangerousGetHandle())
            .Mov(Register.R2, Register.R10).Add(Register.R2, -4)
            .Call(1)                                                              // bpf_map_lookup_elem
            .JumpIf(JumpOperation.Jeq, Register.R0, 0, "out")
            .Mov(Register.R1, 1)
            .Atomic(AtomicOperation.Add, MemorySize.DoubleWord, Register.R0, 0, Register.R1)
            .Label("out")
            .Mov(Register.R0, xdp ? 2 : 0)
            .Exit();
        return ProgramLoader.Load(new ProgramLoadOptions
        {
            Type = xdp ? ProgramType.Xdp : ProgramType.SchedClassifier, Name = name, Instructions = b.Build(),
        });
    }
}
