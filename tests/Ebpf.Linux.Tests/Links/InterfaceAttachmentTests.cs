using Ebpf.Linux.Features;
using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>
/// ProgramAttachment.AttachToInterface: a tcx program attached without a link (as <c>bpftool net attach tcx_*</c>)
/// stays after its handle is gone, until DetachFromInterface; before 6.6 the refusal names tcx.
/// </summary>
public sealed class InterfaceAttachmentTests
{
    [Fact]
    public void TcxIngress_OutlivesTheProgramHandle_UntilDetached()
    {
        using var leftovers = new Leftovers();
        using var veth = leftovers.Track(new VethPair());
        using var objects = leftovers.Track(HookObjects.Load("tc_dscp.o"));
        uint id = objects.Program("mark_dscp").Id;
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA);
        using (SafeBpfHandle handle = objects.Program("mark_dscp").Handle.Duplicate())
        {
            if (!KernelFeatures.LinkType(LinkType.Tcx).IsSupported)
            {
                var e = Assert.Throws<KernelFeatureMissingException>(() =>
                    NetworkNamespace.Run(veth.NamespaceA, () => ProgramAttachment.AttachToInterface(handle, ifindex, AttachType.TcxIngress)));
                Assert.Contains("tcx", e.Message, StringComparison.Ordinal);
                Assert.Equal("6.6", e.Since);
                return;
            }
            NetworkNamespace.Run(veth.NamespaceA, () => ProgramAttachment.AttachToInterface(handle, ifindex, AttachType.TcxIngress));
        }
        objects.Dispose();   // our last fd of the program: the kernel keeps it for the hook
        Assert.Equal([id], NetworkNamespace.Run(veth.NamespaceA, () => Tc.Query(ifindex, TcDirection.Ingress)));
        NetworkNamespace.Run(veth.NamespaceA, () => ProgramAttachment.DetachFromInterface(ifindex, AttachType.TcxIngress));
        Assert.Empty(NetworkNamespace.Run(veth.NamespaceA, () => Tc.Query(ifindex, TcDirection.Ingress)));
        var gone = Assert.Throws<BpfException>(() =>
            NetworkNamespace.Run(veth.NamespaceA, () => ProgramAttachment.DetachFromInterface(ifindex, AttachType.TcxIngress)));
        Assert.Equal(Errno.ENOENT, gone.Errno);
    }
}
