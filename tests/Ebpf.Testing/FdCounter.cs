namespace Ebpf.Testing;

/// <summary>Counts this process's open file descriptors (entries of /proc/self/fd), for leak tests.</summary>
public static class FdCounter
{
    /// <summary>The number of open fds now.</summary>
    public static int Count() => Directory.GetFiles("/proc/self/fd").Length;

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
