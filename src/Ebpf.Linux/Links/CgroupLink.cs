using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A program on a cgroup v2 hook through a link (BPF_LINK_CREATE on the cgroup's directory fd; BPF_LINK_TYPE_CGROUP,
/// Linux 5.7+). It runs for the processes of the cgroup and its descendants, after the programs of the ancestors, and
/// shares the hook with other links and BPF_F_ALLOW_MULTI attachments. Disposing detaches it unless pinned.
/// </summary>
public sealed class CgroupLink : Link, ICgroupAttachment
{
    private CgroupLink(SafeBpfHandle handle, string cgroupPath, AttachType attachType) : base(handle) =>
        (CgroupPath, AttachType) = (cgroupPath, attachType);

    /// <inheritdoc/>
    public string CgroupPath { get; }

    /// <inheritdoc/>
    public AttachType AttachType { get; }

    /// <summary>Attaches <paramref name="program"/> to <paramref name="attachType"/> of cgroup <paramref name="cgroupPath"/>.</summary>
    /// <param name="program">A program of the hook's type (CgroupSkb for ingress/egress, CgroupSockAddr for connect/bind, ...).</param>
    /// <param name="cgroupPath">A cgroup v2 directory.</param>
    /// <param name="attachType">The hook, e.g. <see cref="AttachType.CgroupInetEgress"/>.</param>
    /// <exception cref="DirectoryNotFoundException">No such cgroup.</exception>
    /// <exception cref="KernelFeatureMissingException">The kernel has no cgroup links (before 5.7).</exception>
    /// <exception cref="BpfException">EINVAL: the program's type or expected attach type does not suit the hook.</exception>
    public static CgroupLink Attach(KernelProgram program, string cgroupPath, AttachType attachType)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!CgroupHooks.Contains(attachType)) throw new ArgumentException($"{attachType} is not a cgroup hook", nameof(attachType));
        using var cgroup = PathFd.OpenDirectory(cgroupPath, "cgroup");
        var attr = new LinkCreateFullAttr { AttachType = (uint)attachType };
        using var target = new FdLease(cgroup, out attr.TargetFd);
        using var prog = program.Handle.Lease(out attr.ProgFd);
        int r = Bpf.Invoke(BpfCommand.LinkCreate, ref attr);
        if (r < 0) Features.KernelFeatures.LinkType(LinkType.Cgroup).ThrowIfMissing();
        return new CgroupLink(BpfErrors.CheckFd(r, "attach cgroup link of", $"{program} to {cgroupPath} ({attachType})"), cgroupPath, attachType);
    }

    void ICgroupAttachment.Update(KernelProgram program) => Update(program);

    /// <inheritdoc/>
    public override string ToString() => $"cgroup {AttachType} link on {CgroupPath} ({Handle})";
}
