using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

// BPF_LINK_CREATE union members of the tracing hooks (iterators, tracing trampolines, kprobe_multi, uprobe_multi) and
// BPF_ITER_CREATE, as laid out by include/uapi/linux/bpf.h of Linux 6.18 (every member used here keeps its offset
// since the release that introduced it).

/// <summary>BPF_LINK_CREATE with the tracing members of its union.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct TracingLinkCreateAttr
{
    [FieldOffset(0)] public uint ProgFd;
    [FieldOffset(4)] public uint TargetFd;
    [FieldOffset(8)] public uint AttachType;
    [FieldOffset(12)] public uint Flags;

    [FieldOffset(16)] public uint TargetBtfId;              // target_btf_id (and tracing.target_btf_id)
    [FieldOffset(24)] public ulong TracingCookie;           // tracing.cookie (6.0+)

    [FieldOffset(16)] public ulong IterInfo;                // iter_info: union bpf_iter_link_info *
    [FieldOffset(24)] public uint IterInfoLen;

    [FieldOffset(16)] public uint KprobeMultiFlags;         // kprobe_multi.flags (BPF_F_KPROBE_MULTI_RETURN)
    [FieldOffset(20)] public uint KprobeMultiCount;
    [FieldOffset(24)] public ulong KprobeMultiSymbols;      // const char **
    [FieldOffset(32)] public ulong KprobeMultiAddresses;
    [FieldOffset(40)] public ulong KprobeMultiCookies;

    [FieldOffset(16)] public ulong UprobeMultiPath;         // const char *
    [FieldOffset(24)] public ulong UprobeMultiOffsets;      // u64 *
    [FieldOffset(32)] public ulong UprobeMultiRefCtrOffsets;
    [FieldOffset(40)] public ulong UprobeMultiCookies;
    [FieldOffset(48)] public uint UprobeMultiCount;
    [FieldOffset(52)] public uint UprobeMultiFlags;         // BPF_F_UPROBE_MULTI_RETURN
    [FieldOffset(56)] public uint UprobeMultiPid;
}

/// <summary>BPF_ITER_CREATE.</summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
internal struct IterCreateAttr
{
    public uint LinkFd;
    public uint Flags;
}

/// <summary>union bpf_iter_link_info: the map of a map-element iterator (iter/bpf_map_elem, iter/bpf_sk_storage_map).</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct IterLinkInfo
{
    public uint MapFd;
    private readonly uint _pad;
    private readonly ulong _pad2;
}

/// <summary>Flags of the multi-probe links.</summary>
internal static class MultiProbeFlags
{
    internal const uint KprobeMultiReturn = 1;              // BPF_F_KPROBE_MULTI_RETURN
    internal const uint UprobeMultiReturn = 1;              // BPF_F_UPROBE_MULTI_RETURN
}
