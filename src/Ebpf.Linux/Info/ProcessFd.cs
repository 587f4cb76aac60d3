using System.Diagnostics.CodeAnalysis;

namespace Ebpf.Linux;

/// <summary>An open fd of some process, as <c>/proc/PID/fd</c> lists it.</summary>
/// <param name="ProcessId">The process.</param>
/// <param name="Fd">The fd number in that process.</param>
/// <param name="Target">What the fd refers to, as its /proc link reads: "anon_inode:bpf-link", "anon_inode:[perf_event]",
/// "socket:[4242]", a path.</param>
public readonly record struct ProcessFd(int ProcessId, int Fd, string Target)
{
    private const string AnonInode = "anon_inode:";

    /// <summary>The kind of BPF object behind the fd, or null when it is none (or one of another kind: a perf event, an iterator).</summary>
    public BpfObjectKind? BpfKind => Target.StartsWith(AnonInode, StringComparison.Ordinal) ? Target[AnonInode.Length..] switch
    {
        "bpf-prog" => BpfObjectKind.Program,
        "bpf-map" => BpfObjectKind.Map,
        "bpf-link" or "bpf_link" => BpfObjectKind.Link,
        "btf" => BpfObjectKind.Btf,
        _ => null,
    } : null;

    /// <summary>Reads the fd's fdinfo; false once the fd or its process is gone (see <see cref="FdInfo.TryRead"/>).</summary>
    public bool TryReadInfo([NotNullWhen(true)] out FdInfo? info) => FdInfo.TryRead(ProcessId, Fd, out info);
}
