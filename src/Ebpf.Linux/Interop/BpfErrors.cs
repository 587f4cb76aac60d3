namespace Ebpf.Linux;

/// <summary>The one place errno values become exceptions: what failed, on which object, and why.</summary>
internal static class BpfErrors
{
    /// <summary>Creates the exception for <paramref name="errno"/> from <paramref name="operation"/> on <paramref name="subject"/>.</summary>
    /// <param name="errno">The error.</param>
    /// <param name="operation">The verb ("create map", "update in map", "pin program").</param>
    /// <param name="subject">The object ("'blocklist'", "'xdp_prog' at /sys/fs/bpf/x").</param>
    internal static Exception Create(Errno errno, string operation, string subject)
    {
        string what = subject.Length == 0 ? $"{operation}: {errno.Describe()}" : $"{operation} {subject}: {errno.Describe()}";
        return errno switch
        {
            // EPERM from bpf() means missing capability (or, before 5.11, RLIMIT_MEMLOCK); keep the errno inside.
            Errno.EPERM or Errno.EACCES => new UnauthorizedAccessException(
                $"{what}; needs CAP_BPF (and CAP_NET_ADMIN / CAP_PERFMON for some objects) or root", new BpfException(what, errno)),
            Errno.ENOTSUPP or Errno.EOPNOTSUPP => new KernelFeatureMissingException(operation, what, null, new BpfException(what, errno)),
            Errno.ENOSYS => new KernelFeatureMissingException("bpf() system call", detail: what),
            _ => new BpfException(what, errno),
        };
    }

    /// <summary>Throws for a negative result (-errno); returns non-negative results unchanged.</summary>
    internal static int Check(int result, string operation, string subject) =>
        result >= 0 ? result : throw Create((Errno)(-result), operation, subject);

    /// <summary>Wraps a new fd in a handle, or throws for a negative result.</summary>
    internal static SafeBpfHandle CheckFd(int result, string operation, string subject) =>
        SafeBpfHandle.FromKernel(Check(result, operation, subject));
}
