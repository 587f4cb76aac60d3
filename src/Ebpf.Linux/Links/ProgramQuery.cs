using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// Which programs are attached to a hook (BPF_PROG_QUERY, Linux 4.15+): a cgroup's, a network namespace's (sk_lookup,
/// flow dissector), an interface's (tcx) or a sockmap's. Shows programs attached by links and by BPF_PROG_ATTACH alike.
/// </summary>
public static class ProgramQuery
{
    /// <summary>The programs attached to cgroup v2 directory <paramref name="cgroupPath"/> for <paramref name="attachType"/>.</summary>
    /// <param name="cgroupPath">A cgroup v2 directory, e.g. /sys/fs/cgroup/system.slice.</param>
    /// <param name="attachType">A cgroup attach type (CgroupInetIngress, CgroupInet4Connect, ...).</param>
    /// <param name="effective">True: the programs that run for the cgroup, inherited ones included (BPF_F_QUERY_EFFECTIVE).</param>
    /// <exception cref="DirectoryNotFoundException">No such cgroup.</exception>
    /// <exception cref="BpfException">EINVAL: the attach type is not a cgroup one.</exception>
    public static AttachedPrograms Cgroup(string cgroupPath, AttachType attachType, bool effective = false)
    {
        using var cgroup = PathFd.OpenDirectory(cgroupPath, "cgroup");
        return Query(cgroup, attachType, effective ? BpfProgAttachFlags.QueryEffective : 0, $"cgroup {cgroupPath}");
    }

    /// <summary>The programs attached to the network namespace <paramref name="netnsPath"/> for <paramref name="attachType"/> (SkLookup, FlowDissector).</summary>
    /// <param name="netnsPath">A namespace file: /proc/self/ns/net, /var/run/netns/NAME.</param>
    /// <param name="attachType">SkLookup or FlowDissector.</param>
    public static AttachedPrograms NetworkNamespace(string netnsPath, AttachType attachType)
    {
        using var netns = PathFd.Open(netnsPath, "network namespace");
        return Query(netns, attachType, 0, $"network namespace {netnsPath}");
    }

    /// <summary>The programs on interface <paramref name="ifindex"/> of the calling thread's namespace for <paramref name="attachType"/> (TcxIngress, TcxEgress).</summary>
    /// <exception cref="KernelFeatureMissingException">The kernel cannot query this hook.</exception>
    public static AttachedPrograms Interface(int ifindex, AttachType attachType)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ifindex, 1);
        return Query((uint)ifindex, attachType, 0, $"ifindex {ifindex}");
    }

    /// <summary>The programs attached to sockmap/sockhash <paramref name="map"/> for <paramref name="attachType"/> (Linux 5.19+).</summary>
    public static AttachedPrograms Map(KernelMap map, AttachType attachType)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Query(map.Handle, attachType, 0, map.ToString());
    }

    private static AttachedPrograms Query(System.Runtime.InteropServices.SafeHandle target, AttachType attachType, uint flags, string subject)
    {
        using var lease = new FdLease(target, out uint fd);
        return Query(fd, attachType, flags, subject);
    }

    private static unsafe AttachedPrograms Query(uint target, AttachType attachType, uint flags, string subject)
    {
        bool cgroup = CgroupHooks.Contains(attachType), mprog = attachType is AttachType.TcxIngress or AttachType.TcxEgress;
        string what = $"query {attachType} programs of";
        while (true)
        {
            var attr = new ProgQueryAttr { TargetFd = target, AttachType = (uint)attachType, QueryFlags = flags };
            BpfErrors.Check(Bpf.Invoke(BpfCommand.ProgQuery, ref attr), what, subject);
            uint count = attr.Count;
            uint[] ids = new uint[count], programFlags = new uint[cgroup ? count : 0], links = new uint[mprog ? count : 0];
            if (count == 0) return new AttachedPrograms([], (CgroupAttachFlags)attr.AttachFlags, [], [], attr.Revision);
            fixed (uint* idp = ids)
            fixed (uint* flagp = programFlags)
            fixed (uint* linkp = links)
            {
                attr = new ProgQueryAttr
                {
                    TargetFd = target, AttachType = (uint)attachType, QueryFlags = flags, Count = count,
                    ProgIds = Bpf.Ptr(idp), ProgAttachFlags = cgroup ? Bpf.Ptr(flagp) : 0, LinkIds = mprog ? Bpf.Ptr(linkp) : 0,
                };
                int r = Bpf.Invoke(BpfCommand.ProgQuery, ref attr);
                if (r == -(int)Errno.EINVAL && cgroup)
                {
                    // Before 6.0 the kernel knows no per-program flags and rejects a non-zero pointer for them.
                    programFlags = [];
                    attr.ProgAttachFlags = 0;
                    attr.Count = count;
                    r = Bpf.Invoke(BpfCommand.ProgQuery, ref attr);
                }
                if (r == -(int)Errno.ENOSPC) continue;   // a program arrived between the two calls: ask again
                BpfErrors.Check(r, what, subject);
            }
            int n = (int)Math.Min(count, attr.Count);
            return new AttachedPrograms(ids[..n], (CgroupAttachFlags)attr.AttachFlags,
                programFlags.Length == 0 ? [] : [.. programFlags[..n].Select(f => (CgroupAttachFlags)f)],
                links.Length == 0 ? [] : links[..n], attr.Revision);
        }
    }
}
