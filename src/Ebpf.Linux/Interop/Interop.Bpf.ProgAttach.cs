using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

/// <summary>BPF_PROG_ATTACH, BPF_PROG_DETACH (the attribute's anonymous attach struct, Linux 6.6 layout).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct ProgAttachAttr
{
    [FieldOffset(0)] public uint TargetFd;          // cgroup fd, map fd (sockmap), netns fd (flow dissector)...
    [FieldOffset(4)] public uint AttachBpfFd;
    [FieldOffset(8)] public uint AttachType;
    [FieldOffset(12)] public uint AttachFlags;
    [FieldOffset(16)] public uint ReplaceBpfFd;
    [FieldOffset(20)] public uint RelativeFd;
    [FieldOffset(24)] public ulong ExpectedRevision;
}
