using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>BPF_LINK_CREATE on a network namespace fd (BPF_LINK_TYPE_NETNS, Linux 5.8+), shared by sk_lookup and the flow dissector.</summary>
internal static class NetnsLinks
{
    /// <summary>The calling thread's namespace (unlike /proc/self, which names the main thread's).</summary>
    internal const string CurrentThread = "/proc/thread-self/ns/net";

    internal static SafeBpfHandle Create(KernelProgram program, string netnsPath, AttachType attachType, string hook)
    {
        using var netns = PathFd.Open(netnsPath, "network namespace");
        var attr = new LinkCreateFullAttr { AttachType = (uint)attachType };
        using var target = new FdLease(netns, out attr.TargetFd);
        using var prog = program.Handle.Lease(out attr.ProgFd);
        int r = Bpf.Invoke(BpfCommand.LinkCreate, ref attr);
        if (r < 0) Features.KernelFeatures.LinkType(LinkType.Netns).ThrowIfMissing();
        return BpfErrors.CheckFd(r, $"attach {hook} link of", $"{program} to network namespace {netnsPath}");
    }
}
