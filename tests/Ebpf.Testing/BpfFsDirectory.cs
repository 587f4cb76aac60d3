namespace Ebpf.Testing;

/// <summary>A unique directory under /sys/fs/bpf for a test's pins, removed with everything in it on dispose.</summary>
public sealed class BpfFsDirectory : IDisposable
{
    /// <summary>Creates /sys/fs/bpf/ebpf-net-test-PID-N (mounting bpffs first when it is not mounted).</summary>
    public BpfFsDirectory()
    {
        EnsureMounted();
        Path = System.IO.Path.Combine("/sys/fs/bpf", $"ebpf-net-test-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>A path inside the directory.</summary>
    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Removes the pins and the directory.</summary>
    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }

    private static void EnsureMounted()
    {
        if (File.ReadAllText("/proc/mounts").Contains(" /sys/fs/bpf bpf ", StringComparison.Ordinal)) return;
        using var p = System.Diagnostics.Process.Start("mount", ["-t", "bpf", "bpf", "/sys/fs/bpf"]);
        p.WaitForExit();
    }
}
