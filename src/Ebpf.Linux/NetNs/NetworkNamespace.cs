using System.Runtime.ExceptionServices;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.NetNs;

/// <summary>
/// Runs code inside a network namespace: interface indexes, netlink sockets, sockets and XDP/TC attachments made there
/// target that namespace's interfaces. setns(2) changes only the calling thread, so each call runs on a new dedicated
/// thread that enters the namespace and ends afterwards; a thread-pool thread (where an <c>await</c> may resume) never
/// enters a foreign namespace, and code inside must not <c>await</c> (a continuation would run elsewhere).
/// </summary>
public static class NetworkNamespace
{
    /// <summary>Where <c>ip netns add NAME</c> keeps its namespace files.</summary>
    public const string NamedRoot = "/var/run/netns";

    /// <summary>The namespace file of <paramref name="nameOrPath"/>: a name under /var/run/netns, or a path as is.</summary>
    public static string PathOf(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrPath);
        return nameOrPath.Contains('/', StringComparison.Ordinal) ? nameOrPath : Path.Combine(NamedRoot, nameOrPath);
    }

    /// <summary>Runs <paramref name="action"/> on a dedicated thread inside namespace <paramref name="nameOrPath"/> and returns its result.</summary>
    /// <param name="nameOrPath">A name (<c>ip netns</c>'s, under /var/run/netns) or a namespace file (/proc/PID/ns/net).</param>
    /// <param name="action">Synchronous code; its exceptions are rethrown here with their stack.</param>
    /// <exception cref="FileNotFoundException">No such namespace.</exception>
    /// <exception cref="UnauthorizedAccessException">setns needs CAP_SYS_ADMIN.</exception>
    public static T Run<T>(string nameOrPath, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        string path = PathOf(nameOrPath);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(path);
                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        { IsBackground = true, Name = $"netns {nameOrPath}" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary><see cref="Run{T}(string, Func{T})"/> for actions without a result.</summary>
    public static void Run(string nameOrPath, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run(nameOrPath, () => { action(); return 0; });
    }

    /// <summary>The index of interface <paramref name="interfaceName"/> inside namespace <paramref name="nameOrPath"/>.</summary>
    /// <exception cref="IOException">No such interface there.</exception>
    public static int InterfaceIndex(string nameOrPath, string interfaceName) => Run(nameOrPath, () => InterfaceIndex(interfaceName));

    /// <summary>The index of interface <paramref name="interfaceName"/> in the calling thread's namespace (if_nametoindex).</summary>
    /// <exception cref="IOException">No such interface.</exception>
    public static int InterfaceIndex(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        uint index = Libc.IfNameToIndex(interfaceName);
        return index != 0 ? (int)index : throw new IOException($"interface index of {interfaceName}: {Libc.LastErrno.Describe()}");
    }

    private static void Enter(string path)
    {
        int fd = Libc.Open(path, Libc.OpenReadOnly | Libc.OpenCloexec);
        if (fd < 0)
        {
            Errno e = Libc.LastErrno;
            if (e == Errno.ENOENT) throw new FileNotFoundException($"open network namespace {path}: {e.Describe()}", path);
            throw BpfErrors.Create(e, "open network namespace", path);
        }
        try
        {
            if (Libc.SetNs(fd, Libc.CloneNewNet) != 0) throw BpfErrors.Create(Libc.LastErrno, "enter network namespace", path);
        }
        finally
        {
            Libc.Close(fd);
        }
    }
}
