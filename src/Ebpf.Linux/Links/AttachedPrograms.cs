namespace Ebpf.Linux.Links;

/// <summary>What BPF_PROG_QUERY reports about one hook (a cgroup's, a namespace's or an interface's attach type).</summary>
/// <param name="ProgramIds">The attached programs' ids, in the order they run.</param>
/// <param name="AttachFlags">The hook's attach flags (cgroups: BPF_F_ALLOW_OVERRIDE / BPF_F_ALLOW_MULTI; 0 otherwise).</param>
/// <param name="ProgramAttachFlags">Per program flags, parallel to <paramref name="ProgramIds"/> (cgroups, Linux 6.0+), else empty.</param>
/// <param name="LinkIds">Per program link ids, 0 for a program attached without a link (tcx, Linux 6.6+), else empty.</param>
/// <param name="Revision">The hook's revision, bumped by every change (tcx, Linux 6.6+), else 0.</param>
public sealed record AttachedPrograms(
    IReadOnlyList<uint> ProgramIds,
    CgroupAttachFlags AttachFlags,
    IReadOnlyList<CgroupAttachFlags> ProgramAttachFlags,
    IReadOnlyList<uint> LinkIds,
    ulong Revision);
