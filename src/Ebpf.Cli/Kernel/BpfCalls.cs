using System.Runtime.InteropServices;
using Ebpf.Linux;

namespace Ebpf.Cli.Kernel;

/// <summary>
/// The few bpf() commands the CLI needs that Ebpf.Linux does not offer yet: BPF_PROG_ATTACH/DETACH by fd or ifindex
/// (cgroups, tcx the way bpftool attaches it), BPF_PROG_QUERY and BPF_TASK_FD_QUERY.
/// </summary>
/// <remarks>A stopgap: once Ebpf.Linux has ProgramQuery, CgroupAttachment and a task-fd query, the commands use those
/// and this file goes. Attr layouts follow union bpf_attr in &lt;linux/bpf.h&gt;; fields a kernel does not know must
/// stay zero, so older kernels accept the larger attr.</remarks>
internal static unsafe partial class BpfCalls
{
    private static readonly long SysBpf = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 321 : 280;   // x86-64; arm64/riscv64 share the generic table
    private const int ProgAttach = 8, ProgDetach = 9, ProgQuery = 16, TaskFdQuery = 20;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long cmd, long attr, long size);

    /// <summary>BPF_PROG_ATTACH: <paramref name="programFd"/> to <paramref name="target"/> (a cgroup fd or an ifindex).</summary>
    public static void Attach(int target, int programFd, AttachType type, uint flags, string what)
    {
        var attr = new AttachAttr { Target = (uint)target, ProgramFd = (uint)programFd, Type = (uint)type, Flags = flags };
        Check(Invoke(ProgAttach, &attr, sizeof(AttachAttr)), what);
    }

    /// <summary>BPF_PROG_DETACH: <paramref name="programFd"/> (0: the kernel picks, as for tcx and single-program cgroup hooks).</summary>
    public static void Detach(int target, int programFd, AttachType type, string what)
    {
        var attr = new AttachAttr { Target = (uint)target, ProgramFd = (uint)programFd, Type = (uint)type };
        Check(Invoke(ProgDetach, &attr, sizeof(AttachAttr)), what);
    }

    /// <summary>
    /// BPF_PROG_QUERY on <paramref name="target"/> for <paramref name="type"/>: the attached programs in order, or null
    /// when the kernel rejects the query for this target and type (EINVAL, EBADF, ENOTSUPP: nothing can be attached there).
    /// </summary>
    /// <param name="target">A cgroup or netns fd, or an ifindex (tcx).</param>
    /// <param name="type">The hook.</param>
    /// <param name="queryFlags">BPF_F_QUERY_EFFECTIVE or 0.</param>
    /// <param name="withLinks">Also ask for link ids and per-program flags (tcx; Linux 6.6+).</param>
    public static AttachedPrograms? Query(int target, AttachType type, uint queryFlags, bool withLinks)
    {
        const int Max = 64;
        uint* ids = stackalloc uint[Max];
        uint* progFlags = stackalloc uint[Max];
        uint* linkIds = stackalloc uint[Max];
        uint* linkFlags = stackalloc uint[Max];
        var attr = new QueryAttr
        {
            Target = (uint)target, Type = (uint)type, QueryFlags = queryFlags, ProgramIds = (ulong)ids, Count = Max,
            ProgramAttachFlags = withLinks ? (ulong)progFlags : 0, LinkIds = withLinks ? (ulong)linkIds : 0,
            LinkAttachFlags = withLinks ? (ulong)linkFlags : 0,
        };
        int r = Invoke(ProgQuery, &attr, sizeof(QueryAttr));
        if (r < 0) return null;
        int n = (int)Math.Min(attr.Count, Max);
        return new AttachedPrograms(attr.AttachFlags, new ReadOnlySpan<uint>(ids, n).ToArray(),
            withLinks ? new ReadOnlySpan<uint>(progFlags, n).ToArray() : new uint[n],
            withLinks ? new ReadOnlySpan<uint>(linkIds, n).ToArray() : new uint[n],
            withLinks ? new ReadOnlySpan<uint>(linkFlags, n).ToArray() : new uint[n]);
    }

    /// <summary>BPF_TASK_FD_QUERY: what BPF program fd <paramref name="fd"/> of process <paramref name="pid"/> runs on, or null.</summary>
    public static TaskFdInfo? QueryTaskFd(int pid, int fd)
    {
        byte* name = stackalloc byte[4096];
        var attr = new TaskFdAttr { Pid = (uint)pid, Fd = (uint)fd, BufferLength = 4096, Buffer = (ulong)name };
        if (Invoke(TaskFdQuery, &attr, sizeof(TaskFdAttr)) < 0) return null;
        var span = new ReadOnlySpan<byte>(name, (int)Math.Min(attr.BufferLength, 4096u));
        int end = span.IndexOf((byte)0);
        string text = System.Text.Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
        return new TaskFdInfo(attr.ProgramId, (TaskFdType)attr.FdType, text, attr.ProbeOffset, attr.ProbeAddress);
    }

    private static int Invoke(int cmd, void* attr, int size)
    {
        long r = Syscall(SysBpf, cmd, (long)attr, size);
        return r < 0 ? -Marshal.GetLastPInvokeError() : (int)r;
    }

    private static void Check(int result, string what)
    {
        if (result >= 0) return;
        var errno = (Errno)(-result);
        string hint = errno switch
        {
            Errno.EPERM or Errno.EACCES => "; run as root (CAP_BPF, CAP_NET_ADMIN, CAP_SYS_ADMIN)",
            Errno.EEXIST or Errno.EBUSY => "; something is attached there already",
            Errno.EINVAL => "; the program's type or expected attach type does not fit this hook",
            _ => "",
        };
        throw new BpfException($"{what}: {errno.Describe()}{hint}", errno);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct AttachAttr
    {
        public uint Target, ProgramFd, Type, Flags, ReplaceFd, Relative;
        public ulong ExpectedRevision;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct QueryAttr
    {
        public uint Target, Type, QueryFlags, AttachFlags;
        public ulong ProgramIds;
        public uint Count, Padding;
        public ulong ProgramAttachFlags, LinkIds, LinkAttachFlags, Revision;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TaskFdAttr
    {
        public uint Pid, Fd, Flags, BufferLength;
        public ulong Buffer;
        public uint ProgramId, FdType;
        public ulong ProbeOffset, ProbeAddress;
    }
}

/// <summary>The answer to BPF_PROG_QUERY: programs in run order, with their flags and links (0: attached without a link).</summary>
internal sealed record AttachedPrograms(uint AttachFlags, uint[] ProgramIds, uint[] ProgramFlags, uint[] LinkIds, uint[] LinkFlags);

/// <summary>What BPF_TASK_FD_QUERY reports about a perf event or raw tracepoint fd.</summary>
internal sealed record TaskFdInfo(uint ProgramId, TaskFdType Type, string Name, ulong ProbeOffset, ulong ProbeAddress);

/// <summary>enum bpf_task_fd_type.</summary>
internal enum TaskFdType : uint
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
