namespace Ebpf.Linux.Links;

/// <summary>How a program shares a cgroup hook with others (BPF_PROG_ATTACH flags; the kernel's query reports them too).</summary>
[Flags]
public enum CgroupAttachFlags : uint
{
    /// <summary>Exclusive: the only program on the hook; descendant cgroups may not attach their own.</summary>
    None = 0,
    /// <summary>BPF_F_ALLOW_OVERRIDE: a descendant cgroup's program replaces this one for its processes.</summary>
    AllowOverride = 1u << 0,
    /// <summary>BPF_F_ALLOW_MULTI: several programs on the hook, all run, descendants' programs run as well (links always use this).</summary>
    AllowMulti = 1u << 1,
    /// <summary>BPF_F_REPLACE: the attach replaced a named program (reported by queries; use the replace parameter to ask for it).</summary>
    Replace = 1u << 2,
}
