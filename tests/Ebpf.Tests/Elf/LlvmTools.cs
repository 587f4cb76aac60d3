using System.Diagnostics;
using Ebpf.Testing;

namespace Ebpf.Tests.Elf;

/// <summary>Runs the LLVM binutils the tests use as oracles (llvm-readelf, llvm-objdump, llvm-mc).</summary>
internal static class LlvmTools
{
    /// <summary>Every compiled BPF object of the test output, relative path and full path.</summary>
    public static IEnumerable<string> Objects() =>
        Directory.EnumerateFiles(RepoPaths.BpfObjects, "*.o", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepoPaths.BpfObjects, p))
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> ObjectData()
    {
        var data = new TheoryData<string>();
        foreach (string o in Objects()) data.Add(o);
        return data;
    }

    /// <summary>Runs <paramref name="tool"/>; skips the test when it is not installed, fails when it fails.</summary>
    public static string Run(string tool, params string[] arguments)
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
            Assert.Skip($"{tool} is not installed ({e.Message}); ./build.sh setup installs llvm");
            throw;
        }
        using (process)
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
            return stdout;
        }
    }
}
