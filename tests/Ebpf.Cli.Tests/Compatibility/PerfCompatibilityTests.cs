using System.Text.Json;
using Ebpf.Linux;
using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary><c>perf list</c>: ebpf and bpftool see the same program-carrying perf events of this test process.</summary>
[Collection(nameof(ProcessAttachmentsCollection))]
public class PerfCompatibilityTests
{
    [Fact]
    public void TracepointOfThisProcess_ListedLikeBpftool()
    {
        KernelAssert.RequireRoot();
        using var pins = new BpfFsDirectory();
        SideBySide.Bpftool(null, "prog", "load", RepoPaths.BpfObject("trace_openat.o"), pins["prog"], "pinmaps", pins["maps"]);
        using KernelProgram program = KernelProgram.OpenPinned(pins["prog"]);
        using TracepointLink link = KernelAssert.RunOrSkip(() => TracepointLink.Attach(program, "syscalls", "sys_enter_openat"));

        JsonElement[] Mine(JsonElement list) => [.. list.EnumerateArray().Where(e => e.GetProperty("pid").GetInt32() == Environment.ProcessId)];
        JsonElement[] bpftool = Mine(SideBySide.Json(SideBySide.Bpftool(null, "-j", "perf", "list")));
        JsonElement[] ebpf = Mine(SideBySide.Json(SideBySide.Ebpf(null, "-j", "perf", "list")));
        JsonElement entry = Assert.Single(bpftool);
        Assert.Equal("tracepoint", entry.GetProperty("fd_type").GetString());
        Assert.Equal("sys_enter_openat", entry.GetProperty("tracepoint").GetString());
        Assert.Equal(bpftool.Length, ebpf.Length);
        for (int i = 0; i < bpftool.Length; i++) SideBySide.AssertSameFields(bpftool[i], ebpf[i]);

        string Line(string output) => output.Split('\n').Single(l => l.StartsWith($"pid {Environment.ProcessId} ", StringComparison.Ordinal));
        Assert.Equal(Line(SideBySide.Bpftool(null, "perf", "list")), Line(SideBySide.Ebpf(null, "perf", "list")));
    }
}
