using System.Text;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>
/// What BPF program a perf event or raw tracepoint fd of some process runs, and where it is attached
/// (BPF_TASK_FD_QUERY, Linux 4.18+): what <c>bpftool perf</c> lists.
/// </summary>
/// <param name="ProgramId">The program's id.</param>
/// <param name="Type">The kind of attach point.</param>
/// <param name="Name">The tracepoint ("sys_enter_openat"), kprobe function, or uprobe file; empty when attached by address.</param>
/// <param name="ProbeOffset">Offset into the function (kprobes) or file (uprobes).</param>
/// <param name="ProbeAddress">Address of a kprobe attached by address.</param>
public sealed record TaskFdInfo(uint ProgramId, TaskFdType Type, string Name, ulong ProbeOffset, ulong ProbeAddress)
{
    /// <summary>Queries fd <paramref name="fd"/> of process <paramref name="pid"/>; null when it is no BPF-carrying perf event or raw tracepoint.</summary>
    /// <remarks>
    /// Any failure is "no": the kernel answers EBADF for fds of other kinds, ENOENT for a perf event without a
    /// program, ENOTSUPP for a link of a kind it cannot describe, and the process may have exited meanwhile.
    /// </remarks>
    public static unsafe TaskFdInfo? Query(int pid, int fd)
    {
        const int Capacity = 4096;
        byte* name = stackalloc byte[Capacity];
        var attr = new TaskFdQueryAttr { Pid = (uint)pid, Fd = (uint)fd, BufferLength = Capacity, Buffer = Bpf.Ptr(name) };
        if (Bpf.Invoke(BpfCommand.TaskFdQuery, ref attr) < 0) return null;
        var span = new ReadOnlySpan<byte>(name, (int)Math.Min(attr.BufferLength, Capacity));
        int end = span.IndexOf((byte)0);
        return new TaskFdInfo(attr.ProgramId, (TaskFdType)attr.FdType, Encoding.UTF8.GetString(end < 0 ? span : span[..end]),
            attr.ProbeOffset, attr.ProbeAddress);
    }
}

/// <summary>enum bpf_task_fd_type: the kind of attach point behind a task fd.</summary>
public enum TaskFdType : uint
{
    /// <summary>BPF_FD_TYPE_RAW_TRACEPOINT.</summary>
    RawTracepoint,
    /// <summary>BPF_FD_TYPE_TRACEPOINT.</summary>
    Tracepoint,
    /// <summary>BPF_FD_TYPE_KPROBE.</summary>
    Kprobe,
    /// <summary>BPF_FD_TYPE_KRETPROBE.</summary>
    Kretprobe,
    /// <summary>BPF_FD_TYPE_UPROBE.</summary>
    Uprobe,
    /// <summary>BPF_FD_TYPE_URETPROBE.</summary>
    Uretprobe,
}
