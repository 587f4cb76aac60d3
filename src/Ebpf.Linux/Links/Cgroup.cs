using System.Diagnostics.CodeAnalysis;

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

    /// <summary>
    /// Where the whole cgroup v2 hierarchy is mounted in this mount namespace (/sys/fs/cgroup; /sys/fs/cgroup/unified on
    /// hybrid systems), the directory cgroup paths are taken under; false when /proc/self/mountinfo lists no cgroup2
    /// mount of the hierarchy's root (a container may see only a bind mount of its own subtree).
    /// </summary>
    public static bool TryFindMount([NotNullWhen(true)] out string? root)
    {
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS"
            string[] fields = line.Split(' ');
            int dash = Array.IndexOf(fields, "-");
            if (dash > 4 && dash + 1 < fields.Length && fields[dash + 1] == "cgroup2" && fields[3] == "/")
            {
                root = fields[4];
                return true;
            }
        }
        root = null;
        return false;
    }
}
