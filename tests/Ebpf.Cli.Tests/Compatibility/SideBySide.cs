using System.Diagnostics;
using System.Text.Json;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary>Runs bpftool and ebpf side by side, in this network namespace or (through nsenter) in a test's own.</summary>
internal static class SideBySide
{
    /// <summary>bpftool from the PATH, else /usr/sbin/bpftool (sudo-less shells often lack /usr/sbin).</summary>
    public static string BpftoolPath { get; } = BpfTool.IsAvailable ? "bpftool" : "/usr/sbin/bpftool";

    /// <summary>The built CLI beside the tests.</summary>
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "Ebpf.Cli.dll");

    /// <summary>Runs bpftool (in <paramref name="netns"/> when given); fails the test on a non-zero exit.</summary>
    public static string Bpftool(string? netns, params string[] args) => Ok("bpftool", Run(netns, BpftoolPath, args));

    /// <summary>Runs ebpf (in <paramref name="netns"/> when given); fails the test on a non-zero exit.</summary>
    public static string Ebpf(string? netns, params string[] args) => Ok("ebpf", Run(netns, "dotnet", [CliDll, .. args]));

    /// <summary>Runs ebpf and returns exit code and output, whatever the exit code.</summary>
    public static (int ExitCode, string Stdout, string Stderr) TryEbpf(string? netns, params string[] args) => Run(netns, "dotnet", [CliDll, .. args]);

    /// <summary>Parses JSON output.</summary>
    public static JsonElement Json(string output)
    {
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.Clone();
    }

    /// <summary>
    /// Every field bpftool printed must be in ebpf's output with the same value (recursively), except
    /// <paramref name="ignored"/> (differences listed in docs/COMPATIBILITY.md). ebpf may print more fields.
    /// </summary>
    public static void AssertSameFields(JsonElement bpftool, JsonElement ebpf, string path = "$", params string[] ignored)
    {
        switch (bpftool.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.True(ebpf.ValueKind == JsonValueKind.Object, $"{path}: bpftool has an object, ebpf {ebpf.ValueKind}");
                foreach (JsonProperty p in bpftool.EnumerateObject())
                {
                    if (ignored.Contains(p.Name)) continue;
                    Assert.True(ebpf.TryGetProperty(p.Name, out JsonElement other), $"{path}.{p.Name}: missing in ebpf's output {ebpf}");
                    AssertSameFields(p.Value, other, $"{path}.{p.Name}", ignored);
                }
                break;
            case JsonValueKind.Array:
                Assert.True(ebpf.ValueKind == JsonValueKind.Array, $"{path}: bpftool has an array, ebpf {ebpf.ValueKind}");
                Assert.True(bpftool.GetArrayLength() == ebpf.GetArrayLength(), $"{path}: bpftool has {bpftool.GetArrayLength()} elements, ebpf {ebpf.GetArrayLength()}: {bpftool} vs {ebpf}");
                for (int i = 0; i < bpftool.GetArrayLength(); i++) AssertSameFields(bpftool[i], ebpf[i], $"{path}[{i}]", ignored);
                break;
            default:
                Assert.True(bpftool.GetRawText() == ebpf.GetRawText(), $"{path}: bpftool {bpftool.GetRawText()}, ebpf {ebpf.GetRawText()}");
                break;
        }
    }

    private static string Ok(string tool, (int ExitCode, string Stdout, string Stderr) r)
    {
        Assert.True(r.ExitCode == 0, $"{tool} failed ({r.ExitCode}): {r.Stderr}{r.Stdout}");
        return r.Stdout;
    }

    private static (int, string, string) Run(string? netns, string tool, string[] args)
    {
        var start = new ProcessStartInfo(netns is null ? tool : "nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (netns is not null)
        {
            start.ArgumentList.Add($"--net=/var/run/netns/{netns}");
            start.ArgumentList.Add(tool);
        }
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', args)} did not finish in 120 s");
        }
        return (process.ExitCode, stdout, stderr.Result);
    }
}
