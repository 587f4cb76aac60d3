using System.Runtime.InteropServices;

namespace Ebpf.Linux;

/// <summary>Linux error numbers the bpf() system call and its neighbours return (asm-generic values).</summary>
/// <remarks>Values are those of <c>asm-generic/errno-base.h</c> and <c>errno.h</c>, shared by every architecture .NET
/// runs on; <see cref="ENOTSUPP"/> is kernel-internal (<c>linux/errno.h</c>) but leaks out of bpf() anyway.</remarks>
#pragma warning disable CA1707 // errno names are the vocabulary every man page and kernel message uses
public enum Errno
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>Operation not permitted.</summary>
    EPERM = 1,
    /// <summary>No such file or directory (absent key, id or path).</summary>
    ENOENT = 2,
    /// <summary>No such process.</summary>
    ESRCH = 3,
    /// <summary>Interrupted system call.</summary>
    EINTR = 4,
    /// <summary>I/O error.</summary>
    EIO = 5,
    /// <summary>No such device or address.</summary>
    ENXIO = 6,
    /// <summary>Argument list too long (bpf(): attribute has unknown non-zero tail, or a size is too large).</summary>
    E2BIG = 7,
    /// <summary>Bad file descriptor.</summary>
    EBADF = 9,
    /// <summary>Try again.</summary>
    EAGAIN = 11,
    /// <summary>Out of memory.</summary>
    ENOMEM = 12,
    /// <summary>Permission denied (bpf(): the verifier rejected the program).</summary>
    EACCES = 13,
    /// <summary>Bad address.</summary>
    EFAULT = 14,
    /// <summary>Device or resource busy.</summary>
    EBUSY = 16,
    /// <summary>File exists (key already present with BPF_NOEXIST).</summary>
    EEXIST = 17,
    /// <summary>Cross-device link.</summary>
    EXDEV = 18,
    /// <summary>No such device.</summary>
    ENODEV = 19,
    /// <summary>Not a directory.</summary>
    ENOTDIR = 20,
    /// <summary>Is a directory.</summary>
    EISDIR = 21,
    /// <summary>Invalid argument.</summary>
    EINVAL = 22,
    /// <summary>File table overflow.</summary>
    ENFILE = 23,
    /// <summary>Too many open files.</summary>
    EMFILE = 24,
    /// <summary>Not a typewriter.</summary>
    ENOTTY = 25,
    /// <summary>File too large.</summary>
    EFBIG = 27,
    /// <summary>No space left on device (bpf(): map full, or verifier log buffer too small).</summary>
    ENOSPC = 28,
    /// <summary>Read-only file system.</summary>
    EROFS = 30,
    /// <summary>Broken pipe.</summary>
    EPIPE = 32,
    /// <summary>Math result not representable.</summary>
    ERANGE = 34,
    /// <summary>Resource deadlock would occur.</summary>
    EDEADLK = 35,
    /// <summary>File name too long.</summary>
    ENAMETOOLONG = 36,
    /// <summary>Function not implemented (no bpf() in this kernel).</summary>
    ENOSYS = 38,
    /// <summary>Directory not empty.</summary>
    ENOTEMPTY = 39,
    /// <summary>Too many symbolic links.</summary>
    ELOOP = 40,
    /// <summary>No data available.</summary>
    ENODATA = 61,
    /// <summary>Protocol error.</summary>
    EPROTO = 71,
    /// <summary>Value too large for defined data type.</summary>
    EOVERFLOW = 75,
    /// <summary>File descriptor in bad state.</summary>
    EBADFD = 77,
    /// <summary>Socket operation on non-socket.</summary>
    ENOTSOCK = 88,
    /// <summary>Operation not supported.</summary>
    EOPNOTSUPP = 95,
    /// <summary>Address already in use.</summary>
    EADDRINUSE = 98,
    /// <summary>No buffer space available.</summary>
    ENOBUFS = 105,
    /// <summary>Transport endpoint is not connected.</summary>
    ENOTCONN = 107,
    /// <summary>Connection timed out.</summary>
    ETIMEDOUT = 110,
    /// <summary>Operation already in progress.</summary>
    EALREADY = 114,
    /// <summary>Operation canceled.</summary>
    ECANCELED = 125,
    /// <summary>Operation not supported (kernel-internal ENOTSUPP, which bpf() returns for some unsupported features).</summary>
    ENOTSUPP = 524,
}
#pragma warning restore CA1707

/// <summary>Text for <see cref="Errno"/> values.</summary>
public static class ErrnoExtensions
{
    /// <summary>"ENOENT (No such file or directory)": the symbolic name (or the number) and the C library's text.</summary>
    public static string Describe(this Errno errno)
    {
        string name = Enum.IsDefined(errno) ? errno.ToString() : $"errno {(int)errno}";
        string text = errno == Errno.ENOTSUPP ? "Operation not supported" : Marshal.GetPInvokeErrorMessage((int)errno);
        return $"{name} ({text})";
    }
}
