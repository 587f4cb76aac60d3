using System.Text.Json;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Commands;

/// <summary>`ebpf btf dump file ...` against `bpftool btf dump file ...`, raw and JSON, field by field.</summary>
public class BtfDumpCommandTests
{
    public static TheoryData<string> Sources()
    {
        var data = new TheoryData<string>();
        if (File.Exists("/sys/kernel/btf/vmlinux")) data.Add("/sys/kernel/btf/vmlinux");
        foreach (string o in Directory.EnumerateFiles(RepoPaths.BpfObjects, "*.o", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(o);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Raw_EqualsBpftool(string path)
    {
        var (code, ours, stderr) = CliProcess.Run("", "btf", "dump", "file", path);
        Assert.True(code == 0, stderr);
        Assert.Equal(Bpftool("btf", "dump", "file", path), ours);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Json_EqualsBpftool(string path)
    {
        var (code, ours, stderr) = CliProcess.Run("", "btf", "dump", "file", path, "-j");
        Assert.True(code == 0, stderr);
        using JsonDocument expected = JsonDocument.Parse(Bpftool("btf", "dump", "file", path, "-j"));
        using JsonDocument actual = JsonDocument.Parse(ours);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, actual.RootElement), $"JSON of {path} differs from bpftool's");
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void FormatC_EqualsBpftool(string path)
    {
        var (code, ours, stderr) = CliProcess.Run("", "btf", "dump", "file", path, "format", "c");
        Assert.True(code == 0, stderr);
        string theirs = Bpftool("btf", "dump", "file", path, "format", "c");
        string[] expected = theirs.Split('\n'), actual = ours.Split('\n');
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
            Assert.True(expected[i] == actual[i], $"{path} line {i + 1}: bpftool '{expected[i]}', ebpf '{actual[i]}'");
        Assert.Equal(expected.Length, actual.Length);
    }

    [Theory]
    [InlineData("btf dump", "expected 'file PATH'")]
    [InlineData("btf dump file /nonexistent", "can't open '/nonexistent'")]
    [InlineData("btf dump file /sys/kernel/btf/vmlinux format xml", "unknown format 'xml'")]
    public void BadArguments_OneLineError(string args, string message)
    {
        var (code, _, stderr) = CliProcess.Run("", args.Split(' '));
        Assert.Equal(1, code);
        Assert.Contains(message, stderr);
    }

    private static string Bpftool(params string[] args) => ExternalTool.Run("bpftool", args);
}
