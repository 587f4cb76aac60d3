using System.Text.Json;

namespace Ebpf.Testing;

/// <summary>bpftool, the kernel tree's own tool, as the oracle of kernel tests.</summary>
public static class BpfTool
{
    /// <summary>True when bpftool is on the PATH.</summary>
    public static bool IsAvailable { get; } = Environment.GetEnvironmentVariable("PATH")?.Split(':')
        .Any(dir => File.Exists(Path.Combine(dir, "bpftool"))) ?? false;

    /// <summary>Runs <c>bpftool -j ARGS</c> and parses its JSON output.</summary>
    /// <exception cref="InvalidOperationException">bpftool failed.</exception>
    public static JsonElement Json(params string[] args)
    {
        string output = Run(["-j", .. args]);
        using var doc = JsonDocument.Parse(output.Length == 0 ? "null" : output);
        return doc.RootElement.Clone();
    }

    /// <summary>Runs bpftool and returns its standard output (skips the test when bpftool is not installed).</summary>
    /// <exception cref="InvalidOperationException">bpftool exited with an error.</exception>
    public static string Run(params string[] args)
    {
        var (exitCode, stdout, stderr) = ExternalTool.TryRun("bpftool", args);
        if (exitCode != 0) throw new InvalidOperationException($"bpftool {string.Join(' ', args)} exited {exitCode}: {stderr}{stdout}");
        return stdout;
    }
}
