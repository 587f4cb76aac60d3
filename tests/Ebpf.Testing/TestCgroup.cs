namespace Ebpf.Testing;

/// <summary>
/// A fresh cgroup v2 directory for one test, under the host's cgroup2 mount (mounted at /run/ebpf-net-cgroup2 when
/// the host has none). Processes enter it through <see cref="RunInside"/>; disposing removes the directory (a cgroup
/// can only be removed once its processes are gone, so it retries briefly while a child is being reaped).
/// </summary>
public sealed class TestCgroup : IDisposable
{
    private const string OwnMount = "/run/ebpf-net-cgroup2";
    private static int s_counter;
    private static readonly Lazy<string> s_root = new(FindOrMountRoot);

    /// <summary>Creates the cgroup. Skips the test without root.</summary>
    public TestCgroup()
    {
        KernelAssert.RequireRoot();
        // A random part besides pid and counter: a pid can come back after a crashed run left its cgroup behind.
        Path = System.IO.Path.Combine(Root, $"ebpf-net-test-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}-{Random.Shared.Next(0x10000):x4}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The cgroup2 mount point.</summary>
    public static string Root => s_root.Value;

    /// <summary>The cgroup's directory.</summary>
    public string Path { get; }

    /// <summary>
    /// Runs <c>bash -c SCRIPT</c> in a child process that first moves itself into this cgroup (writes its pid to
    /// cgroup.procs), so everything the script does belongs to the cgroup. Returns the exit code and the output.
    /// bash (not sh) because scripts use its /dev/tcp and /dev/udp; without bash the test skips with that reason.
    /// </summary>
    public (int ExitCode, string Stdout, string Stderr) RunInside(string script) =>
        ExternalTool.TryRun("bash", "-c", $"echo $$ > '{System.IO.Path.Combine(Path, "cgroup.procs")}' && {script}");

    /// <summary>Removes the directory.</summary>
    public void Dispose()
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (Directory.Exists(Path)) Directory.Delete(Path);
                return;
            }
            catch (IOException) when (attempt < 500)
            {
                Thread.Sleep(20);   // EBUSY while an exited child is still being reaped (slowly on a loaded machine)
            }
        }
    }

    private static string FindOrMountRoot()
    {
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ... - FSTYPE SOURCE SUPEROPTIONS"
            string[] fields = line.Split(' ');
            int dash = Array.IndexOf(fields, "-");
            if (dash > 0 && dash + 1 < fields.Length && fields[dash + 1] == "cgroup2" && fields[3] == "/") return fields[4];
        }
        Directory.CreateDirectory(OwnMount);
        ExternalTool.Run("mount", "-t", "cgroup2", "none", OwnMount);
        return OwnMount;
    }
}
