using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>Opens the fds that name hook targets: a cgroup directory, a network namespace file.</summary>
internal static class PathFd
{
    /// <summary>Opens directory <paramref name="path"/> read-only (a cgroup: BPF takes its fd as the target).</summary>
    /// <exception cref="DirectoryNotFoundException">No such directory.</exception>
    internal static SafeFdHandle OpenDirectory(string path, string kind) => Open(path, kind, Libc.OpenDirectory);

    /// <summary>Opens <paramref name="path"/> read-only.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    internal static SafeFdHandle Open(string path, string kind, int extraFlags = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int fd = Libc.Open(path, Libc.OpenReadOnly | Libc.OpenCloexec | extraFlags);
        if (fd >= 0) return SafeFdHandle.Check(fd, "open", path);
        Errno e = Libc.LastErrno;
        string message = $"open {kind} {path}: {e.Describe()}";
        throw e switch
        {
            Errno.ENOENT when extraFlags == Libc.OpenDirectory => new DirectoryNotFoundException(message),
            Errno.ENOENT => new FileNotFoundException(message, path),
            Errno.ENOTDIR => new DirectoryNotFoundException(message),
            _ => BpfErrors.Create(e, $"open {kind}", path),
        };
    }
}
