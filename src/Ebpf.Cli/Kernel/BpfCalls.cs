using System.Runtime.InteropServices;
using Ebpf.Linux;

namespace Ebpf.Cli.Kernel;

/// <summary>
/// The few bpf() commands the CLI needs that Ebpf.Linux does not offer: BPF_PROG_ATTACH/DETACH that outlive the
/// process (a cgroup fd, or an ifindex for tcx the way bpftool attaches it: Ebpf.Linux's attachments detach when
/// disposed) and BPF_TASK_FD_QUERY on other processes' fds.
/// </summary>
/// <remarks>A stopgap until Ebpf.Linux has a persistent attach and a task-fd query; queries use ProgramQuery. Attr layouts follow union bpf_attr in &lt;linux/bpf.h&gt;; fields a kernel does not know must
/// stay zero, so older kernels accept the larger attr.</remarks>
internal static unsafe partial class BpfCalls
{
    private static readonly long SysBpf = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 321 : 280;   // x86-64; arm64/riscv64 share the generic table
    private const int ProgAttach = 8, ProgDetach = 9, TaskFdQuery = 20;

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
    private struct TaskFdAttr
    {
        public uint Pid, Fd, Flags, BufferLength;
        public ulong Buffer;
        public uint ProgramId, FdType;
        public ulong ProbeOffset, ProbeAddress;
    }
}

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
