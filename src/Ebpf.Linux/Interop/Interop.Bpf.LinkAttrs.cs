using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

// The link_create union members LinkCreateAttr leaves out, and the link commands' own attributes (Linux 6.18 UAPI,
// include/uapi/linux/bpf.h; Debian's libbpf headers predate tcx, so the offsets are taken from the kernel's header).

/// <summary>BPF_LINK_CREATE with the union members used by tcx (relative_fd, expected_revision) and perf_event (bpf_cookie).</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct LinkCreateFullAttr
{
    [FieldOffset(0)] public uint ProgFd;
    [FieldOffset(4)] public uint TargetFd;                  // also target_ifindex
    [FieldOffset(8)] public uint AttachType;
    [FieldOffset(12)] public uint Flags;
    [FieldOffset(16)] public uint RelativeFd;               // tcx.relative_fd (also relative_id)
    [FieldOffset(16)] public ulong PerfEventBpfCookie;      // perf_event.bpf_cookie
    [FieldOffset(24)] public ulong ExpectedRevision;        // tcx.expected_revision
}

/// <summary>BPF_LINK_UPDATE.</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct LinkUpdateAttr
{
    public uint LinkFd;
    public uint NewProgFd;
    public uint Flags;                                      // BPF_F_REPLACE: swap only if old_prog_fd is attached
    public uint OldProgFd;
}

/// <summary>BPF_LINK_DETACH.</summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
internal struct LinkDetachAttr
{
    public uint LinkFd;
}

/// <summary>Flags of the link and attach commands (BPF_F_*).</summary>
internal static class BpfAttachFlags
{
    internal const uint Replace = 1u << 2;                  // BPF_F_REPLACE
    internal const uint Before = 1u << 3;                   // BPF_F_BEFORE
    internal const uint After = 1u << 4;                    // BPF_F_AFTER
    internal const uint Id = 1u << 5;                       // BPF_F_ID
    internal const uint Link = 1u << 13;                    // BPF_F_LINK (relative_fd names a link)
}
