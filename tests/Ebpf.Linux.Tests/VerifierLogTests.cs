using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>A rejected object's verifier log reaches the caller whole, and equals the log bpftool (libbpf) prints.</summary>
public sealed class VerifierLogTests
{
    // libbpf 1.x frames the log with these; libbpf 0.x (bpftool of Debian 11) with the second pair.
    private static readonly (string Begin, string End)[] Markers =
    [
        ("-- BEGIN PROG LOAD LOG --\n", "-- END PROG LOAD LOG --"),
        ("-- BEGIN DUMP LOG ---\nlibbpf: \n", "\nlibbpf: -- END LOG --"),
    ];

    public VerifierLogTests() => KernelAssert.RequireRoot();

    [Fact]
    public void RejectedObject_LogOfSeveralMegabytes_EqualsBpftools()
    {
        string path = RepoPaths.BpfObject("rejected/huge_log.o");
        CollectionSpec spec = CollectionSpec.LoadFile(path);
        var e = Assert.Throws<BpfVerifierException>(() => KernelCollection.Load(spec));
        Assert.Equal(Errno.EACCES, e.Errno);
        Assert.Equal("huge_log", e.ProgramName);
        Assert.False(e.LogTruncated);
        Assert.True(e.Log.Length > 4_000_000, $"log is {e.Log.Length} bytes");
        Assert.Equal(262_144, e.FailedInstruction);

        // bpftool loads the same object (libbpf: first without a log, then again at level 1) and fails the same way.
        using var dir = new BpfFsDirectory();
        var (exitCode, _, stderr) = ExternalTool.TryRun("bpftool", "prog", "load", path, dir["never"]);
        Assert.NotEqual(0, exitCode);
        Assert.False(File.Exists(dir["never"]));
        string? bpftoolLog = LogIn(stderr);
        Assert.True(bpftoolLog is not null, $"bpftool printed no verifier log: {stderr[..Math.Min(stderr.Length, 2000)]}");
        Assert.True(bpftoolLog.Trim('\n') == e.Log.Trim('\n'), Difference(bpftoolLog.Trim('\n'), e.Log.Trim('\n')));
    }

    private static string? LogIn(string stderr)
    {
        foreach ((string beginMarker, string endMarker) in Markers)
        {
            int begin = stderr.IndexOf(beginMarker, StringComparison.Ordinal);
            if (begin < 0) continue;
            int end = stderr.IndexOf(endMarker, begin + beginMarker.Length, StringComparison.Ordinal);
            if (end > begin) return stderr[(begin + beginMarker.Length)..end];
        }
        return null;
    }

    private static string Difference(string expected, string actual)
    {
        int i = 0;
        while (i < expected.Length && i < actual.Length && expected[i] == actual[i]) i++;
        string At(string s) => s.Substring(Math.Max(0, i - 80), Math.Min(200, s.Length - Math.Max(0, i - 80)));
        return $"logs differ at char {i} (bpftool {expected.Length}, ours {actual.Length} chars):\nbpftool: {At(expected)}\nours:    {At(actual)}";
    }
}
