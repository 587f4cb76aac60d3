using System.Diagnostics;
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

    /// <summary>Runs bpftool and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">bpftool exited with an error.</exception>
    public static string Run(params string[] args)
    {
        var psi = new ProcessStartInfo("bpftool") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start bpftool");
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"bpftool {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}{stdout}");
        return stdout;
    }
}
