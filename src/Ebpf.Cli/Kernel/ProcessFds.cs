using System.Globalization;

namespace Ebpf.Cli.Kernel;

/// <summary>
/// The BPF-related fds every process holds, read from /proc: who keeps a link alive (bpftool's <c>pids</c>) and
/// which perf events carry programs (<c>perf list</c>).
/// </summary>
internal static class ProcessFds
{
    /// <summary>An open fd: its process, number and /proc link target ("anon_inode:bpf-link", ...).</summary>
    public readonly record struct OpenFd(int Pid, int Fd, string Target);

    /// <summary>Every fd of every process whose target starts with one of <paramref name="prefixes"/>; this process is left out, as bpftool leaves itself out.</summary>
    public static IEnumerable<OpenFd> Find(params string[] prefixes)
    {
        int self = Environment.ProcessId;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == self) continue;
            string[] fds;
            try { fds = Directory.GetFiles(Path.Combine(dir, "fd")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }   // exited, or a kernel thread
            foreach (string fdPath in fds.OrderBy(f => int.TryParse(Path.GetFileName(f), CultureInfo.InvariantCulture, out int n) ? n : int.MaxValue))
            {
                string? target;
                try { target = new FileInfo(fdPath).LinkTarget; }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                if (target is null || !prefixes.Any(p => target.StartsWith(p, StringComparison.Ordinal))) continue;
                if (int.TryParse(Path.GetFileName(fdPath), NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
                    yield return new OpenFd(pid, fd, target);
            }
        }
    }

    /// <summary>A field of /proc/PID/fdinfo/FD ("link_id", "prog_id"...), or null.</summary>
    public static string? FdInfo(OpenFd fd, string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{fd.Pid}/fdinfo/{fd.Fd}"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal)) return line[(field.Length + 1)..].Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>The command name of a process (/proc/PID/comm), or "" once it has exited.</summary>
    public static string Comm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n'); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    /// <summary>Processes holding each link, by link id, one entry per process, in pid order.</summary>
    public static Dictionary<uint, List<(int Pid, string Comm)>> LinkHolders()
    {
        var holders = new Dictionary<uint, List<(int, string)>>();
        foreach (OpenFd fd in Find("anon_inode:bpf-link", "anon_inode:bpf_link"))
        {
            if (!uint.TryParse(FdInfo(fd, "link_id"), NumberStyles.None, CultureInfo.InvariantCulture, out uint id)) continue;
            if (!holders.TryGetValue(id, out var list)) holders[id] = list = [];
            if (!list.Exists(h => h.Item1 == fd.Pid)) list.Add((fd.Pid, Comm(fd.Pid)));
        }
        foreach (var list in holders.Values) list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return holders;
    }
}
