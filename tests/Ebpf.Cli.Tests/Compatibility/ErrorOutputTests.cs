using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary>Every failure is one line on stderr naming what, which object and why, with a non-zero exit code.</summary>
public class ErrorOutputTests
{
    [Theory]
    [InlineData("prog", "show", "id", "4294967295")]
    [InlineData("map", "dump", "id", "4294967295")]
    [InlineData("map", "show", "pinned", "/sys/fs/bpf/ebpf-net-no-such-pin")]
    [InlineData("prog", "dump", "xlated", "name", "no_such_prog_x")]
    [InlineData("map", "lookup", "id", "4294967295", "key", "1")]
    [InlineData("map", "create", "/sys/fs/bpf/x", "type", "no_such_type", "key", "4", "value", "4", "entries", "1")]
    [InlineData("prog", "load", "/no/such/file.o", "/sys/fs/bpf/x")]
    [InlineData("map", "update", "id", "1", "key", "300")]
    public void Failure_IsOneLine_NonZero(params string[] args)
    {
        Tools.RequireKernel();
        var (code, stdout, stderr) = Tools.TryEbpf(args);
        Assert.NotEqual(0, code);
        Assert.Empty(stdout);
        string[] lines = stderr.TrimEnd().Split('\n');
        Assert.True(lines.Length == 1, $"expected one line, got:\n{stderr}");
        Assert.StartsWith("Error: ", lines[0], StringComparison.Ordinal);
    }

    /// <summary>With -j the failure is bpftool's JSON object on stdout, with the message the text mode prints.</summary>
    [Theory]
    [InlineData("-j")]
    [InlineData("-p")]
    public void Failure_WithJson_IsBpftoolsErrorObject_OnStdout(string json)
    {
        Tools.RequireKernel();
        string[] args = ["prog", "show", "id", "4294967295"];
        var (_, _, text) = Tools.TryEbpf(args);
        var (code, stdout, stderr) = Tools.TryEbpf([json, .. args]);
        Assert.NotEqual(0, code);
        Assert.Empty(stderr);
        using var ours = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal(text.Trim()["Error: ".Length..], ours.RootElement.GetProperty("error").GetString());
        Assert.Single(ours.RootElement.EnumerateObject());
        // bpftool answers the same request with the same shape.
        var (_, bpftoolOut, _) = ExternalTool.TryRun("bpftool", json, "prog", "show", "id", "4294967295");
        using var theirs = System.Text.Json.JsonDocument.Parse(bpftoolOut);
        Assert.Equal(System.Text.Json.JsonValueKind.String, theirs.RootElement.GetProperty("error").ValueKind);
    }

    [Fact]
    public void WrongKeySize_SaysBothSizes()
    {
        using var obj = new LoadedObject("xdp_drop_udp53.o");
        var (code, _, stderr) = Tools.TryEbpf("map", "lookup", "pinned", obj.Map("drop_stats"), "key", "1", "0");
        Assert.Equal(1, code);
        Assert.Contains("key expected 4 bytes got 2", stderr, StringComparison.Ordinal);
    }
}
