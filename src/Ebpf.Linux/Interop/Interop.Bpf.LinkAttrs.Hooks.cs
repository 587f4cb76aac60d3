using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

// The attach/query commands and the link_create members the non-tracing hooks use (Linux 6.18 UAPI,
// include/uapi/linux/bpf.h). Older kernels accept the larger struct as long as the fields they do not know are zero.

/// <summary>BPF_PROG_ATTACH and BPF_PROG_DETACH.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct ProgAttachAttr
{
    [FieldOffset(0)] public uint TargetFd;                  // also target_ifindex
    [FieldOffset(4)] public uint AttachBpfFd;
    [FieldOffset(8)] public uint AttachType;
    [FieldOffset(12)] public uint AttachFlags;
    [FieldOffset(16)] public uint ReplaceBpfFd;             // with BPF_F_REPLACE (cgroups, Linux 5.6+)
    [FieldOffset(20)] public uint RelativeFd;               // mprog (tcx) attach: also relative_id
    [FieldOffset(24)] public ulong ExpectedRevision;
}

/// <summary>BPF_PROG_QUERY.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct ProgQueryAttr
{
    [FieldOffset(0)] public uint TargetFd;                  // also target_ifindex
    [FieldOffset(4)] public uint AttachType;
    [FieldOffset(8)] public uint QueryFlags;                // BPF_F_QUERY_EFFECTIVE
    [FieldOffset(12)] public uint AttachFlags;              // out: the hook's flags (cgroups)
    [FieldOffset(16)] public ulong ProgIds;                 // u32 array
    [FieldOffset(24)] public uint Count;                    // in: capacity, out: how many are attached
    [FieldOffset(32)] public ulong ProgAttachFlags;         // u32 array, per program (cgroups, Linux 6.0+)
    [FieldOffset(40)] public ulong LinkIds;                 // u32 array (mprog hooks: tcx, netkit; Linux 6.6+)
    [FieldOffset(48)] public ulong LinkAttachFlags;
    [FieldOffset(56)] public ulong Revision;
}

/// <summary>BPF_LINK_CREATE for netfilter links (Linux 6.4+): the netfilter member of the union.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct LinkCreateNetfilterAttr
{
    [FieldOffset(0)] public uint ProgFd;
    [FieldOffset(4)] public uint TargetFd;
    [FieldOffset(8)] public uint AttachType;
    [FieldOffset(12)] public uint Flags;
    [FieldOffset(16)] public uint ProtocolFamily;           // NFPROTO_IPV4 / NFPROTO_IPV6
    [FieldOffset(20)] public uint HookNumber;               // NF_INET_PRE_ROUTING ...
    [FieldOffset(24)] public int Priority;
    [FieldOffset(28)] public uint NetfilterFlags;           // BPF_F_NETFILTER_IP_DEFRAG
}

/// <summary>Flags of the legacy attach command and of the query.</summary>
internal static class BpfProgAttachFlags
{
    internal const uint AllowOverride = 1u << 0;            // BPF_F_ALLOW_OVERRIDE
    internal const uint AllowMulti = 1u << 1;               // BPF_F_ALLOW_MULTI
    internal const uint QueryEffective = 1u << 0;           // BPF_F_QUERY_EFFECTIVE
}
