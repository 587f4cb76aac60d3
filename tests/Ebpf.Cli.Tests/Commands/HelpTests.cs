namespace Ebpf.Cli.Tests.Commands;

/// <summary>Help speaks of the tool as <c>ebpf</c>, whatever the host process is called.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData(new[] { "--help" }, "ebpf [command] [options]")]
    [InlineData(new[] { "prog", "show", "--help" }, "ebpf prog show ")]
    [InlineData(new[] { "map", "-h" }, "ebpf map [command] [options]")]
    public void Help_RunAsDotnetEbpfCliDll_SaysEbpf(string[] args, string usage)
    {
        // CliProcess runs `dotnet Ebpf.Cli.dll`: the host's own name would be "Ebpf.Cli".
        var (code, stdout, _) = CliProcess.Run("", args);
        Assert.Equal(0, code);
        string[] lines = stdout.Split('\n');
        int at = Array.IndexOf(lines, "Usage:");
        Assert.True(at >= 0 && at + 1 < lines.Length, stdout);
        Assert.StartsWith("  " + usage, lines[at + 1], StringComparison.Ordinal);
        Assert.DoesNotContain("Ebpf.Cli", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseErrorHelp_SaysEbpf()
    {
        var (code, stdout, stderr) = CliProcess.Run("", "prog", "no-such-verb");
        Assert.NotEqual(0, code);
        Assert.Contains("  ebpf prog [command] [options]", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Ebpf.Cli", stdout + stderr, StringComparison.Ordinal);
    }
}
