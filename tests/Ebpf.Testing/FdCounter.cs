namespace Ebpf.Testing;

/// <summary>Counts this process's open file descriptors (entries of /proc/self/fd), for leak tests.</summary>
public static class FdCounter
{
    /// <summary>
    /// The number of open fds now, leaving out assemblies (*.dll): the runtime opens those lazily, whenever a test
    /// first touches a type, which on a slow machine (the QEMU guests) happens in the middle of a leak test.
    /// </summary>
    public static int Count() => Directory.GetFiles("/proc/self/fd").Count(fd =>
    {
        try
        {
            return new FileInfo(fd).LinkTarget?.EndsWith(".dll", StringComparison.Ordinal) != true;
        }
        catch (IOException)
        {
            return true;   // closed between listing and reading (the listing's own fd)
        }
    });

    /// <summary>
    /// The open fds of BPF objects (maps, programs, links, BTF: "anon_inode:bpf-map" ...) now: what a loader could
    /// leak. Pipes of a finished tool that a finalizer has not closed yet, and files the runtime opens meanwhile,
    /// are not counted.
    /// </summary>
    public static int CountBpfObjects() => Snapshot().Values.Count(target =>
        target.StartsWith("anon_inode:bpf", StringComparison.Ordinal) || target == "anon_inode:btf");

    /// <summary>
    /// The open fds and what they refer to ("anon_inode:[eventpoll]", "/proc/...") now, for leak tests that must tell
    /// their own fds from those the runtime opens lazily meanwhile (on a slow machine the runtime may open a file or
    /// two during a test).
    /// </summary>
    public static Dictionary<int, string> Snapshot()
    {
        var fds = new Dictionary<int, string>();
        foreach (string fd in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(fd), out int n)) fds[n] = new FileInfo(fd).LinkTarget ?? "?";
            }
            catch (IOException) { }   // closed between listing and reading
        }
        return fds;
    }

    /// <summary>The fds open now that were not in <paramref name="before"/> (or now refer to something else), as "fd -> target".</summary>
    public static List<string> Added(Dictionary<int, string> before, Func<string, bool>? kind = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        return [.. Snapshot()
            .Where(e => (!before.TryGetValue(e.Key, out string? t) || t != e.Value) && (kind is null || kind(e.Value)))
            .Select(e => $"{e.Key} -> {e.Value}")];
    }

    /// <summary>Anonymous-inode fds: BPF objects, epoll, eventfd, perf events — what the project's own code opens.</summary>
    public static bool IsAnonymousInode(string target) => target.StartsWith("anon_inode:", StringComparison.Ordinal);

    /// <summary>The open fds that refer to BPF objects (anon_inode:bpf-map, bpf-prog, bpf_link...).</summary>
    public static int CountBpf()
    {
        int n = 0;
        foreach (string fd in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                string? target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("anon_inode:bpf", StringComparison.Ordinal)) n++;
            }
            catch (IOException) { }   // closed between listing and reading
        }
        return n;
    }
}
