using System.Text.Json;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary><c>cgroup show|tree|attach|detach</c>: ebpf and bpftool on a test's own cgroup.</summary>
public sealed class CgroupCompatibilityTests : IDisposable
{
    private readonly string _cgroup;

    public CgroupCompatibilityTests()
    {
        KernelAssert.RequireRoot();
        Linux.Links.Cgroup.TryFindMount(out string? mount);
        if (mount is null) Assert.Skip("no cgroup v2 mount");
        _cgroup = Path.Combine(mount, $"ebpf-cli-test-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(Path.Combine(_cgroup, "child"));
    }

    [Fact]
    public void AttachedByEbpf_ShowAndTreeAgreeWithBpftool_DetachedByEbpf()
    {
        using var pins = new BpfFsDirectory();
        SideBySide.Bpftool(null, "prog", "load", RepoPaths.BpfObject("tests/cgroup_skb_pass.o"), pins["egress"], "type", "cgroup/skb");
        SideBySide.Bpftool(null, "prog", "load", RepoPaths.BpfObject("tests/cgroup_skb_pass.o"), pins["ingress"], "type", "cgroup/skb");
        SideBySide.Ebpf(null, "cgroup", "attach", _cgroup, "cgroup_inet_egress", "pinned", pins["egress"], "multi");
        SideBySide.Bpftool(null, "cgroup", "attach", Path.Combine(_cgroup, "child"), "ingress", "pinned", pins["ingress"]);

        foreach (string[] args in new[] { new[] { "cgroup", "show", _cgroup }, ["cgroup", "show", Path.Combine(_cgroup, "child"), "effective"], ["cgroup", "tree", _cgroup] })
        {
            JsonElement bpftool = SideBySide.Json(SideBySide.Bpftool(null, ["-j", .. args]));
            Assert.NotEqual(0, bpftool.GetArrayLength());
            SideBySide.AssertSameFields(bpftool, SideBySide.Json(SideBySide.Ebpf(null, ["-j", .. args])));
            Assert.Equal(SideBySide.Bpftool(null, args), SideBySide.Ebpf(null, args));
        }

        SideBySide.Ebpf(null, "cgroup", "detach", _cgroup, "cgroup_inet_egress", "pinned", pins["egress"]);
        SideBySide.Ebpf(null, "cgroup", "detach", Path.Combine(_cgroup, "child"), "cgroup_inet_ingress", "pinned", pins["ingress"]);
        Assert.Equal(0, SideBySide.Json(SideBySide.Bpftool(null, "-j", "cgroup", "tree", _cgroup)).GetArrayLength());
    }

    [Fact]
    public void LongProgramName_ShowsTheWholeName_AsBpftool()
    {
        using var pins = new BpfFsDirectory();
        SideBySide.Bpftool(null, "prog", "loadall", RepoPaths.BpfObject("tests/long_names.o"), pins["all"]);
        SideBySide.Bpftool(null, "cgroup", "attach", _cgroup, "egress", "pinned", Path.Combine(pins["all"], "cgroup_skb_with_long_name"));
        try
        {
            string[] args = ["cgroup", "show", _cgroup];
            JsonElement bpftool = SideBySide.Json(SideBySide.Bpftool(null, ["-j", .. args]));
            Assert.Equal("cgroup_skb_with_long_name", bpftool[0].GetProperty("name").GetString());
            SideBySide.AssertSameFields(bpftool, SideBySide.Json(SideBySide.Ebpf(null, ["-j", .. args])));
            Assert.Equal(SideBySide.Bpftool(null, args), SideBySide.Ebpf(null, args));
        }
        finally
        {
            SideBySide.Bpftool(null, "cgroup", "detach", _cgroup, "egress", "pinned", Path.Combine(pins["all"], "cgroup_skb_with_long_name"));
        }
    }

    [Fact]
    public void BadCgroup_IsOneLineError()
    {
        var (code, _, stderr) = SideBySide.TryEbpf(null, "cgroup", "show", "/sys/fs/cgroup/no-such-cgroup-here");
        Assert.NotEqual(0, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("no-such-cgroup-here", stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (_cgroup is null) return;
        foreach (string dir in new[] { Path.Combine(_cgroup, "child"), _cgroup })
            if (Directory.Exists(dir)) Directory.Delete(dir);
    }
}
