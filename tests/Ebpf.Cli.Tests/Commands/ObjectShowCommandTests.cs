using System.Text.Json;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Commands;

public class ObjectShowCommandTests
{
    [Fact]
    public void Json_TagsEqualWhatTheKernelReportsAfterBpftoolLoadall()
    {
        string obj = RepoPaths.BpfObject("xdp_drop_udp53.o");
        var (code, stdout, stderr) = CliProcess.Run("", "object", "show", obj, "-j");
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement program = doc.RootElement.GetProperty("programs")[0];
        Assert.Equal("xdp_drop_udp53", program.GetProperty("name").GetString());
        Assert.Equal("xdp", program.GetProperty("type").GetString());
        JsonElement map = doc.RootElement.GetProperty("maps")[0];
        Assert.Equal("drop_stats", map.GetProperty("name").GetString());
        Assert.Equal("percpu_array", map.GetProperty("type").GetString());
        Assert.Equal(2, map.GetProperty("max_entries").GetInt32());

        if (!Directory.Exists("/sys/fs/bpf") || Environment.UserName != "root") Assert.Skip("needs root and bpffs to load with bpftool");
        using var dir = new BpfFsDirectory();   // unique per process and test, removed after
        string pins = dir["all"];
        ExternalTool.Run("bpftool", "prog", "loadall", obj, pins);
        using JsonDocument shown = JsonDocument.Parse(ExternalTool.Run("bpftool", "prog", "show", "pinned", $"{pins}/xdp_drop_udp53", "-j"));
        Assert.Equal(shown.RootElement.GetProperty("tag").GetString(), program.GetProperty("tag").GetString());
    }

    [Fact]
    public void Text_ListsProgramsAndMaps()
    {
        var (code, stdout, _) = CliProcess.Run("", "object", "show", RepoPaths.BpfObject("tests/maps_mix.o"));
        Assert.Equal(0, code);
        Assert.Contains("programs (1):", stdout);
        Assert.Matches(@"outer\s+array_of_maps\s+4\s+4\s+2", stdout);
        Assert.Matches(@"events\s+ringbuf\s+0\s+0\s+4096", stdout);
    }

    [Fact]
    public void NotAnObject_OneLineError()
    {
        var (code, _, stderr) = CliProcess.Run("", "object", "show", "/etc/hostname");
        Assert.Equal(1, code);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
