using System.Diagnostics;
using Xunit;

namespace Ebpf.Testing;

/// <summary>
/// Runs the tools tests use as oracles (bpftool, llvm-objdump, llvm-readelf, llvm-mc, clang, ip). A tool that is
/// not installed skips the test with the reason; a tool that fails fails it.
/// </summary>
public static class ExternalTool
{
    /// <summary>Runs <paramref name="tool"/> with <paramref name="arguments"/> and returns its standard output.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = TryRun(tool, arguments);
        Assert.True(exitCode == 0, $"{tool} {string.Join(' ', arguments)} failed ({exitCode}): {stderr}");
        return stdout;
    }

    /// <summary>
    /// The full path of <paramref name="tool"/> on PATH (or the name when not found). Pass this to wrappers such as
    /// busybox's nsenter, which would otherwise run its own applet of the same name (busybox tc knows no clsact).
    /// </summary>
    public static string Resolve(string tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (tool.Contains('/', StringComparison.Ordinal)) return tool;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return tool;
    }

    /// <summary>Runs <paramref name="tool"/> and returns its exit code and output, whatever the exit code.</summary>
    public static (int ExitCode, string Stdout, string Stderr) TryRun(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Skip($"{tool} is not installed ({e.Message}); ./build.sh setup installs it");
            throw;
        }
        using (process)
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.Result);
        }
    }
}
