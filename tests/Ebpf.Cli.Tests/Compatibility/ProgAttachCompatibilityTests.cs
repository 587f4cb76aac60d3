using System.Text.Json;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary>prog attach|detach (sockmap verdicts) and load ... autoattach, checked with bpftool.</summary>
public class ProgAttachCompatibilityTests
{
    [Fact]
    public void AttachDetach_SkMsgVerdict_IsWhatBpftoolDetaches_AndViceVersa()
    {
        using var obj = new LoadedObject("tests/sk_msg.o");
        string prog = obj.Program("drop_13"), map = obj.Map("socks");
        // ebpf attaches, bpftool detaches: the attachment was real.
        Tools.Ebpf("prog", "attach", "pinned", prog, "sk_msg_verdict", "pinned", map);
        Tools.Bpftool("prog", "detach", "pinned", prog, "sk_msg_verdict", "pinned", map);
        // bpftool attaches, ebpf detaches; a second detach fails with one line naming the errno.
        Tools.Bpftool("prog", "attach", "pinned", prog, "sk_msg_verdict", "pinned", map);
        Tools.Ebpf("prog", "detach", "pinned", prog, "sk_msg_verdict", "pinned", map);
        var (code, _, stderr) = Tools.TryEbpf("prog", "detach", "pinned", prog, "sk_msg_verdict", "pinned", map);
        Assert.Equal(1, code);
        Assert.Contains("ENOENT", stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, Tools.TryBpftool("prog", "detach", "pinned", prog, "sk_msg_verdict", "pinned", map).ExitCode);
    }

    [Fact]
    public void Attach_WrongTypeOrMissingMap_IsOneLine()
    {
        using var obj = new LoadedObject("tests/sk_msg.o");
        var (code, _, stderr) = Tools.TryEbpf("prog", "attach", "pinned", obj.Program("drop_13"), "sk_msg_verdict");
        Assert.Equal(1, code);
        Assert.Contains("needs the sockmap", stderr, StringComparison.Ordinal);
        (code, _, stderr) = Tools.TryEbpf("prog", "attach", "pinned", obj.Program("drop_13"), "no_such_type", "pinned", obj.Map("socks"));
        Assert.Equal(1, code);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Load_Autoattach_PinsATracepointLinkBpftoolShows()
    {
        Tools.RequireKernel();
        if (!File.Exists("/sys/kernel/tracing/events/syscalls/sys_enter_openat/id") && !File.Exists("/sys/kernel/debug/tracing/events/syscalls/sys_enter_openat/id"))
            Assert.Skip("no syscalls:sys_enter_openat tracepoint (CONFIG_FTRACE_SYSCALLS off or tracefs not mounted)");
        using var dir = new BpfFsDirectory();
        string pinned = dir["openat"];
        var (code, _, stderr) = Tools.TryEbpf("prog", "load", RepoPaths.BpfObject("trace_openat.o"), pinned, "autoattach");
        // Before 5.15 a tracepoint attaches through the perf event ioctl, which cannot be pinned: ebpf refuses clearly.
        if (code != 0 && stderr.Contains("perf event ioctl", StringComparison.Ordinal))
            Assert.Skip($"no BPF perf links on Linux {KernelAssert.KernelRelease} (5.15+): {stderr.Trim()}");
        Assert.True(code == 0, stderr);
        JsonElement link = Tools.BpftoolJson("link", "show", "pinned", pinned + "_link");
        JsonElement prog = Tools.BpftoolJson("prog", "show", "pinned", pinned);
        Assert.Equal(prog.GetProperty("id").GetInt64(), link.GetProperty("prog_id").GetInt64());
        Assert.Equal("tracepoint", prog.GetProperty("type").GetString());
    }

    [Fact]
    public void LoadAll_Autoattach_SkipsProgramsWithoutAnAutomaticTarget()
    {
        Tools.RequireKernel();
        using var dir = new BpfFsDirectory();
        Tools.Ebpf("prog", "loadall", RepoPaths.BpfObject("xdp_drop_udp53.o"), dir["all"], "autoattach");
        Assert.Equal(["xdp_drop_udp53"], Directory.GetFiles(dir["all"]).Select(f => Path.GetFileName(f)));
    }
}
