using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ebpf.Linux;

/// <summary>
/// The open fds of every process, read from /proc: which processes keep a BPF object alive (bpftool's <c>pids</c>),
/// which perf events carry programs (<c>bpftool perf</c>). Processes come and go while /proc is read: what vanishes
/// meanwhile is left out. Another user's processes are seen only with root (CAP_SYS_PTRACE).
/// </summary>
public static class ProcessFds
{
    /// <summary>Every fd of every process, by ascending process id and fd number.</summary>
    /// <param name="includeThisProcess">False (bpftool's view): this process's fds are left out, those it opened to ask
    /// among them. True: they are listed too.</param>
    public static IEnumerable<ProcessFd> All(bool includeThisProcess = false)
    {
        int self = Environment.ProcessId;
        foreach (int pid in ProcessIds())
        {
            if (pid == self && !includeThisProcess) continue;
            foreach (ProcessFd fd in Of(pid)) yield return fd;
        }
    }

    /// <summary>The fds of <paramref name="kind"/> of every process, in the order of <see cref="All"/>.</summary>
    /// <param name="kind">The kind of BPF object.</param>
    /// <param name="includeThisProcess">Whether this process's own fds are listed too.</param>
    public static IEnumerable<ProcessFd> OfKind(BpfObjectKind kind, bool includeThisProcess = false) =>
        All(includeThisProcess).Where(fd => fd.BpfKind == kind);

    /// <summary>
    /// The processes holding each BPF object of <paramref name="kind"/>, by object id (from each fd's fdinfo): one
    /// entry per process, by ascending process id. Objects no process holds (pinned, attached without a link) are absent.
    /// </summary>
    /// <param name="kind">The kind of BPF object.</param>
    /// <param name="includeThisProcess">Whether this process counts as a holder.</param>
    public static IReadOnlyDictionary<uint, IReadOnlyList<ObjectHolder>> Holders(BpfObjectKind kind, bool includeThisProcess = false)
    {
        var holders = new Dictionary<uint, List<ObjectHolder>>();
        foreach (ProcessFd fd in OfKind(kind, includeThisProcess))
        {
            if (!fd.TryReadInfo(out FdInfo? info) || IdOf(info, kind) is not uint id) continue;
            if (!holders.TryGetValue(id, out var list)) holders[id] = list = [];
            if (!list.Exists(h => h.ProcessId == fd.ProcessId))
                list.Add(new ObjectHolder(fd.ProcessId, TryReadCommand(fd.ProcessId, out string? command) ? command : ""));
        }
        return holders.ToDictionary(h => h.Key, h => (IReadOnlyList<ObjectHolder>)h.Value);
    }

    /// <summary>The command name of process <paramref name="processId"/> (<c>/proc/PID/comm</c>); false once it exited.</summary>
    public static bool TryReadCommand(int processId, [NotNullWhen(true)] out string? command)
    {
        try
        {
            command = File.ReadAllText($"/proc/{processId}/comm").TrimEnd('\n');
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            command = null;
            return false;
        }
    }

    private static uint? IdOf(FdInfo info, BpfObjectKind kind) => kind switch
    {
        BpfObjectKind.Program => info.ProgramId,
        BpfObjectKind.Map => info.MapId,
        BpfObjectKind.Link => info.LinkId,
        _ => info.BtfId,
    };

    private static IEnumerable<int> ProcessIds() =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : 0)
            .Where(pid => pid > 0).Order();

    private static List<ProcessFd> Of(int pid)
    {
        var fds = new List<ProcessFd>();
        string[] entries;
        try { entries = Directory.GetFiles($"/proc/{pid}/fd"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return fds; }   // exited, or not ours to read
        foreach (string path in entries)
        {
            if (!int.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out int fd)) continue;
            string? target;
            try { target = new FileInfo(path).LinkTarget; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }   // closed meanwhile
            if (target is not null) fds.Add(new ProcessFd(pid, fd, target));
        }
        fds.Sort((a, b) => a.Fd.CompareTo(b.Fd));
        return fds;
    }
}
