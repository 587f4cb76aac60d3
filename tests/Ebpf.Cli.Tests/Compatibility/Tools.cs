using System.Text.Json;
using Ebpf.Cli.Tests.Commands;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary>Runs bpftool (the oracle) and ebpf on the same objects and parses their JSON.</summary>
internal static class Tools
{
    private static readonly string s_bpftool = File.Exists("/usr/sbin/bpftool") ? "/usr/sbin/bpftool" : "bpftool";

    /// <summary>Skips unless root with bpffs; bpftool missing skips in <see cref="ExternalTool"/>.</summary>
    public static void RequireKernel()
    {
        KernelAssert.RequireRoot();
        if (!Directory.Exists("/sys/fs/bpf")) Assert.Skip("no /sys/fs/bpf (bpffs) on this system");
    }

    /// <summary><c>bpftool ARGS</c>: its standard output; fails the test when it fails.</summary>
    public static string Bpftool(params string[] args) => ExternalTool.Run(s_bpftool, args);

    /// <summary><c>bpftool -j ARGS</c> parsed.</summary>
    public static JsonElement BpftoolJson(params string[] args) => Parse(Bpftool(["-j", .. args]), "bpftool", args);

    /// <summary><c>bpftool ARGS</c> whatever its exit code.</summary>
    public static (int ExitCode, string Stdout, string Stderr) TryBpftool(params string[] args) => ExternalTool.TryRun(s_bpftool, args);

    /// <summary><c>ebpf ARGS</c>: its standard output; fails the test (with stderr) when it fails.</summary>
    public static string Ebpf(params string[] args)
    {
        var (code, stdout, stderr) = CliProcess.Run("", args);
        Assert.True(code == 0, $"ebpf {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }

    /// <summary><c>ebpf -j ARGS</c> parsed.</summary>
    public static JsonElement EbpfJson(params string[] args) => Parse(Ebpf(["-j", .. args]), "ebpf", args);

    /// <summary><c>ebpf ARGS</c> whatever its exit code.</summary>
    public static (int ExitCode, string Stdout, string Stderr) TryEbpf(params string[] args) => CliProcess.Run("", args);

    private static JsonElement Parse(string json, string tool, string[] args)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            Assert.Fail($"{tool} {string.Join(' ', args)} printed invalid JSON ({e.Message}): {json}");
            throw;
        }
    }
}
