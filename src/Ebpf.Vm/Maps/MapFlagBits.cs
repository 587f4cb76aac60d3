namespace Ebpf.Vm.Maps;

/// <summary>The map_flags bits of <c>union bpf_attr</c> the userspace maps honour (include/uapi/linux/bpf.h).</summary>
internal static class MapFlagBits
{
    public const uint NoPrealloc = 1;        // BPF_F_NO_PREALLOC
    public const uint NoCommonLru = 2;       // BPF_F_NO_COMMON_LRU
    public const uint ZeroSeed = 1 << 6;     // BPF_F_ZERO_SEED
    public const uint ReadOnlyProgram = 1 << 7;   // BPF_F_RDONLY_PROG
    public const uint WriteOnlyProgram = 1 << 8;  // BPF_F_WRONLY_PROG
    public const uint Mmapable = 1 << 10;    // BPF_F_MMAPABLE
}
