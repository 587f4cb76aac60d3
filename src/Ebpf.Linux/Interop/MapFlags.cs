namespace Ebpf.Linux;

/// <summary>Flags of BPF_MAP_CREATE (<c>map_flags</c>).</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the kernel's own word for this field
public enum MapFlags : uint
#pragma warning restore CA1711
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>BPF_F_NO_PREALLOC: allocate hash elements on demand (required by LPM tries and local storage).</summary>
    NoPrealloc = 1 << 0,
    /// <summary>BPF_F_NO_COMMON_LRU: one LRU list per CPU.</summary>
    NoCommonLru = 1 << 1,
    /// <summary>BPF_F_NUMA_NODE: allocate on the node given at creation.</summary>
    NumaNode = 1 << 2,
    /// <summary>BPF_F_RDONLY: read-only for the syscall side.</summary>
    ReadOnly = 1 << 3,
    /// <summary>BPF_F_WRONLY: write-only for the syscall side.</summary>
    WriteOnly = 1 << 4,
    /// <summary>BPF_F_STACK_BUILD_ID: stack trace maps store build id + offset.</summary>
    StackBuildId = 1 << 5,
    /// <summary>BPF_F_ZERO_SEED: zero hash seed (tests only).</summary>
    ZeroSeed = 1 << 6,
    /// <summary>BPF_F_RDONLY_PROG: read-only for programs.</summary>
    ReadOnlyProgram = 1 << 7,
    /// <summary>BPF_F_WRONLY_PROG: write-only for programs.</summary>
    WriteOnlyProgram = 1 << 8,
    /// <summary>BPF_F_CLONE: clone local storage when a socket is cloned.</summary>
    Clone = 1 << 9,
    /// <summary>BPF_F_MMAPABLE: the array can be mmap()ed (global data, Linux 5.5+).</summary>
    Mmapable = 1 << 10,
    /// <summary>BPF_F_PRESERVE_ELEMS: perf event array keeps entries when its fd is closed.</summary>
    PreserveElements = 1 << 11,
    /// <summary>BPF_F_INNER_MAP: an inner map of an array of maps may have a different max_entries.</summary>
    InnerMap = 1 << 12,
    /// <summary>BPF_F_SEGV_ON_FAULT: arena faults raise SIGSEGV in user space.</summary>
    SegvOnFault = 1 << 17,
    /// <summary>BPF_F_NO_USER_CONV: arena pointers are not converted to user addresses.</summary>
    NoUserConversion = 1 << 18,
}
