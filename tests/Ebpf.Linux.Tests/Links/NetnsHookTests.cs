using System.Buffers.Binary;
using System.Net.Sockets;
using Ebpf.Linux.Features;
using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>Flow dissector and netfilter programs on the test's own network namespace.</summary>
public sealed class NetnsHookTests
{
    [Fact]
    public void FlowDissector_DissectsUdpInTestRun_LinkOnTheNamespace()
    {
        using var leftovers = new Leftovers();
        using var veth = leftovers.Track(new VethPair());
        string netns = NetworkNamespace.PathOf(veth.NamespaceA);
        using var objects = leftovers.Track(HookObjects.Load("flow_dissector.o"));
        KernelProgram prog = objects.Program("dissect_ipv4");

        // Ethernet + IPv4 (10.0.0.1 -> 10.0.0.2, UDP) + ports 1234 -> 53: the kernel's test run returns struct bpf_flow_keys.
        byte[] frame = new byte[14 + 20 + 8];
        frame[12] = 0x08;
        frame[14] = 0x45;
        frame[14 + 9] = 17;
        new byte[] { 10, 0, 0, 1, 10, 0, 0, 2 }.CopyTo(frame, 26);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(34), 1234);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(36), 53);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), 28);
        TestRunResult run = prog.TestRun(new TestRunOptions { Data = frame, DataOutSize = 64 });
        // BPF_OK; Linux 5.10's test run reports bpf_flow_dissect()'s bool instead (1 = the program said BPF_OK).
        Assert.True(run.ReturnValue == 0 || (run.ReturnValue == 1 && !KernelAssert.ReleaseAtLeast("6.1")), $"retval {run.ReturnValue}");
        Assert.Equal(14 + 20, BinaryPrimitives.ReadUInt16LittleEndian(run.Data.AsSpan(2)));     // thoff
        Assert.Equal(17, run.Data[9]);                                                          // ip_proto
        Assert.Equal(1234, BinaryPrimitives.ReadUInt16BigEndian(run.Data.AsSpan(12)));         // sport
        Assert.Equal(53, BinaryPrimitives.ReadUInt16BigEndian(run.Data.AsSpan(14)));           // dport

        using (var link = KernelAssert.RunOrSkip(() => AttachFlowDissector(prog, netns)))
        {
            Assert.Equal(AttachType.FlowDissector, link.Info().AttachType);
            Assert.Equal([prog.Id], ProgramQuery.NetworkNamespace(netns, AttachType.FlowDissector).ProgramIds);
            string shown = VethPair.RunIn(veth.NamespaceA, "bpftool", "net", "show");
            Assert.Contains("flow_dissector", shown, StringComparison.Ordinal);
            Assert.Contains($"id {prog.Id}", shown, StringComparison.Ordinal);
        }
        Assert.True(HookObjects.Eventually(() => ProgramQuery.NetworkNamespace(netns, AttachType.FlowDissector).ProgramIds.Count == 0), "a program is still attached");
    }

    // The kernel refuses (EEXIST) a flow dissector in any namespace while one is attached to the root namespace: that
    // is the machine's state (another process's program), not ours to change, so the test skips naming it.
    private static FlowDissectorLink AttachFlowDissector(KernelProgram prog, string netns)
    {
        try
        {
            return FlowDissectorLink.Attach(prog, netns);
        }
        catch (BpfException e) when (e.Errno == Errno.EEXIST
            && ProgramQuery.NetworkNamespace("/proc/1/ns/net", AttachType.FlowDissector).ProgramIds is { Count: > 0 } root)
        {
            Assert.Skip($"the root network namespace has flow dissector program(s) {string.Join(", ", root)} attached, which rules out one in any other namespace");
            throw;
        }
    }

    [Fact]
    public void Netfilter_CountsLocalIn_ASecondLinkDrops_DetachesOnDispose()
    {
        using var leftovers = new Leftovers();
        KernelAssert.RequireRoot();
        KernelAssert.RunOrSkip(() =>
        {
            KernelFeatures.ProgramType(ProgramType.Netfilter).ThrowIfMissing();
            KernelFeatures.LinkType(LinkType.Netfilter).ThrowIfMissing();
        });
        using var veth = leftovers.Track(new VethPair());
        HookObjects.Quiet(veth);
        using var objects = leftovers.Track(HookObjects.Load("netfilter_count.o"));
        KernelMap hits = objects.Map("hits");
        using var receiver = PacketCounters.Receiver(veth.NamespaceA, veth.AddressA, 5353);
        uint linkId;
        using (var count = NetworkNamespace.Run(veth.NamespaceA, () => NetfilterLink.Attach(objects.Program("nf_count"), AddressFamily.InterNetwork, NetfilterHook.LocalIn, -100)))
        {
            linkId = count.Info().Id;
            Assert.Equal(LinkType.Netfilter, count.Info().Type);
            PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 5353, 5);
            Assert.Equal(5, PacketCounters.Drain(receiver, 5));
            Assert.Equal(5UL, PacketCounters.WaitFor(hits, 0, 5));
            using (var drop = NetworkNamespace.Run(veth.NamespaceA, () => NetfilterLink.Attach(objects.Program("nf_drop"), AddressFamily.InterNetwork, NetfilterHook.LocalIn, -50)))
            {
                PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 5353, 3);
                Assert.Equal(0, PacketCounters.Drain(receiver, 0));
                Assert.Equal(8UL, PacketCounters.WaitFor(hits, 0, 8));   // priority -100 runs before -50
                Assert.Equal(3UL, PacketCounters.WaitFor(hits, 1, 3));
            }
        }
        Assert.True(HookObjects.Eventually(() => !KernelObjects.LinkIds().Contains(linkId)), $"link {linkId} outlived its dispose");
        PacketCounters.Send(veth.NamespaceB, veth.AddressB, veth.AddressA, 5353, 2);
        Assert.Equal(2, PacketCounters.Drain(receiver, 2));
        Assert.Equal(8UL, PacketCounters.WaitFor(hits, 0, 8));
    }
}
