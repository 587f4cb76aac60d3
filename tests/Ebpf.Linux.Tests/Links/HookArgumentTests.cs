using System.Net.Sockets;
using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>Bad input to the hook APIs fails with a typed exception naming the problem, before any kernel state changes.</summary>
public sealed class HookArgumentTests
{
    [Fact]
    public void WrongProgramTypes_WrongTargets_AreArgumentErrors()
    {
        KernelAssert.RequireRoot();
        using var leftovers = new Leftovers();
        using var tc = leftovers.Track(HookObjects.Load("tc_dscp.o"));
        using var cg = leftovers.Track(HookObjects.Load("cgroup_hooks.o"));
        KernelProgram classifier = tc.Program("mark_dscp"), cgroupSkb = cg.Program("count_egress");
        Assert.Throws<ArgumentException>(() => Tc.Attach(cgroupSkb, 1, TcDirection.Egress, TcAttachMode.Clsact));
        Assert.Throws<ArgumentException>(() => SkLookupLink.Attach(classifier));
        Assert.Throws<ArgumentException>(() => FlowDissectorLink.Attach(classifier));
        Assert.Throws<ArgumentException>(() => NetfilterLink.Attach(classifier, AddressFamily.InterNetwork, NetfilterHook.LocalIn, 0));
        Assert.Throws<ArgumentException>(() => SockMapAttachment.Attach(classifier, cg.Map("counts"), AttachType.SkMsgVerdict));
        var notCgroupHook = Assert.Throws<ArgumentException>(() => CgroupLink.Attach(cgroupSkb, TestCgroup.Root, AttachType.Xdp));
        Assert.Contains("Xdp", notCgroupHook.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CgroupAttachment.Attach(cgroupSkb, TestCgroup.Root, AttachType.CgroupInetEgress, CgroupAttachFlags.None, replace: cgroupSkb));
        Assert.Throws<DirectoryNotFoundException>(() => CgroupLink.Attach(cgroupSkb, "/sys/fs/cgroup/no-such-cgroup-ebpf-net", AttachType.CgroupInetEgress));
        Assert.Throws<FileNotFoundException>(() => ProgramQuery.NetworkNamespace("/var/run/netns/no-such-namespace-ebpf-net", AttachType.SkLookup));
    }

    [Fact]
    public void Query_OfAnInterfaceWithNothingAttached_IsEmpty_AndClsactUpdateAfterDisposeThrows()
    {
        using var leftovers = new Leftovers();
        using var veth = leftovers.Track(new VethPair());
        using var tc = leftovers.Track(HookObjects.Load("tc_dscp.o"));
        int ifindex = NetNs.NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA);
        Assert.Empty(NetNs.NetworkNamespace.Run(veth.NamespaceA, () => Tc.Query(ifindex, TcDirection.Ingress)));
        var clsact = NetNs.NetworkNamespace.Run(veth.NamespaceA, () => ClsactAttachment.Attach(tc.Program("mark_dscp"), ifindex, TcDirection.Ingress));
        clsact.Dispose();
        Assert.Throws<ObjectDisposedException>(() => clsact.Update(tc.Program("mark_dscp")));
    }
}
