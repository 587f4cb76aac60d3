namespace Ebpf.Linux.Links;

/// <summary>Attaches programs to cgroup v2 hooks the best way the kernel offers.</summary>
public static class Cgroup
{
    /// <summary>
    /// Attaches <paramref name="program"/> to <paramref name="attachType"/> of cgroup <paramref name="cgroupPath"/>: a
    /// <see cref="CgroupLink"/> when the kernel has cgroup links (probed, Linux 5.7+), else a
    /// <see cref="CgroupAttachment"/> with BPF_F_ALLOW_MULTI (same sharing as a link).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No such cgroup.</exception>
    /// <exception cref="BpfException">EINVAL: the program does not suit the hook.</exception>
    public static ICgroupAttachment Attach(KernelProgram program, string cgroupPath, AttachType attachType) =>
        Features.KernelFeatures.LinkType(LinkType.Cgroup).IsSupported
            ? CgroupLink.Attach(program, cgroupPath, attachType)
            : CgroupAttachment.Attach(program, cgroupPath, attachType, CgroupAttachFlags.AllowMulti);
}
