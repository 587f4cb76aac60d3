using System.Text.Json;
using Ebpf.Linux;
using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary><c>link show|pin|detach</c>: ebpf and bpftool on the same links.</summary>
[Collection(nameof(ProcessAttachmentsCollection))]
public class LinkCompatibilityTests
{
    [Fact]
    public void XdpLink_ShowPinDetach_AgreeWithBpftool()
    {
        using var veth = new VethPair();
        using var pins = new BpfFsDirectory();
        if (!Linux.Features.KernelFeatures.LinkType(LinkType.Xdp).IsSupported) Assert.Skip("XDP links need Linux 5.9+");
        SideBySide.Bpftool(null, "prog", "load", RepoPaths.BpfObject("xdp_drop_udp53.o"), pins["prog"], "type", "xdp");
        using KernelProgram program = KernelProgram.OpenPinned(pins["prog"]);
        using XdpLink link = NetworkNamespace.Run(veth.NamespaceA, () => XdpLink.Attach(program, NetworkNamespace.InterfaceIndex(veth.InterfaceA), XdpMode.Generic));
        string id = link.Info().Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        JsonElement bpftool = SideBySide.Json(SideBySide.Bpftool(null, "-j", "link", "show", "id", id));
        JsonElement ebpf = SideBySide.Json(SideBySide.Ebpf(null, "-j", "link", "show", "id", id));
        Assert.Equal("xdp", bpftool.GetProperty("type").GetString());
        SideBySide.AssertSameFields(bpftool, ebpf);
        Assert.Equal(FirstLine(SideBySide.Bpftool(null, "link", "show", "id", id)), FirstLine(SideBySide.Ebpf(null, "link", "show", "id", id)));
        AssertListsAgree(id);

        SideBySide.Ebpf(null, "link", "pin", "id", id, pins["link"]);
        Assert.Equal(link.Info().Id, SideBySide.Json(SideBySide.Bpftool(null, "-j", "link", "show", "pinned", pins["link"])).GetProperty("id").GetUInt32());
        SideBySide.AssertSameFields(SideBySide.Json(SideBySide.Bpftool(null, "-j", "link", "show", "pinned", pins["link"])),
            SideBySide.Json(SideBySide.Ebpf(null, "-j", "link", "show", "pinned", pins["link"])));

        Assert.Single(SideBySide.Json(SideBySide.Bpftool(veth.NamespaceA, "-j", "net", "show"))[0].GetProperty("xdp").EnumerateArray());
        SideBySide.Ebpf(null, "link", "detach", "pinned", pins["link"]);
        Assert.Empty(SideBySide.Json(SideBySide.Bpftool(veth.NamespaceA, "-j", "net", "show"))[0].GetProperty("xdp").EnumerateArray());
    }

    [Fact]
    public void TcxLink_ShowsItsHook_AndNetShowNamesTheLink()
    {
        using var veth = new VethPair();
        using var pins = new BpfFsDirectory();
        if (!Linux.Features.KernelFeatures.LinkType(LinkType.Tcx).IsSupported) Assert.Skip($"tcx needs Linux 6.6+ (this is {KernelAssert.KernelRelease})");
        SideBySide.Bpftool(null, "prog", "load", RepoPaths.BpfObject("tests/tc_pass.o"), pins["tc"], "type", "classifier");
        using KernelProgram program = KernelProgram.OpenPinned(pins["tc"]);
        int ifindex = NetworkNamespace.InterfaceIndex(veth.NamespaceA, veth.InterfaceA);
        using TcxLink link = NetworkNamespace.Run(veth.NamespaceA, () => TcxLink.Attach(program, ifindex, TcDirection.Egress));
        string id = link.Info().Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // bpftool 7.1 prints the type as a number (libbpf 1.1 has no name for tcx): docs/COMPATIBILITY.md.
        JsonElement bpftool = SideBySide.Json(SideBySide.Bpftool(null, "-j", "link", "show", "id", id));
        JsonElement ebpf = SideBySide.Json(SideBySide.Ebpf(veth.NamespaceA, "-j", "link", "show", "id", id));
        Assert.Equal((int)LinkType.Tcx, bpftool.GetProperty("type").GetInt32());
        SideBySide.AssertSameFields(bpftool, ebpf, "$", "type");
        Assert.Equal("tcx", ebpf.GetProperty("type").GetString());
        Assert.Equal(veth.InterfaceA, ebpf.GetProperty("devname").GetString());
        Assert.Equal(ifindex, ebpf.GetProperty("ifindex").GetInt32());
        Assert.Equal("tcx_egress", ebpf.GetProperty("attach_type").GetString());

        JsonElement tc = Assert.Single(SideBySide.Json(SideBySide.Ebpf(veth.NamespaceA, "-j", "net", "show"))[0].GetProperty("tc").EnumerateArray());
        Assert.Equal("tcx/egress", tc.GetProperty("kind").GetString());
        Assert.Equal(link.Info().Id, tc.GetProperty("link_id").GetUInt32());
        Assert.Equal(program.Id, tc.GetProperty("prog_id").GetUInt32());
    }

    [Fact]
    public void TracepointPerfEventLink_ShowAgreesWithBpftool()
    {
        KernelAssert.RequireRoot();
        using var pins = new BpfFsDirectory();
        SideBySide.Bpftool(null, "prog", "load", RepoPaths.BpfObject("trace_openat.o"), pins["prog"], "pinmaps", pins["maps"]);
        using KernelProgram program = KernelProgram.OpenPinned(pins["prog"]);
        using TracepointLink link = KernelAssert.RunOrSkip(() => TracepointLink.Attach(program, "syscalls", "sys_enter_openat"));
        string id = link.Info().Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        SideBySide.AssertSameFields(SideBySide.Json(SideBySide.Bpftool(null, "-j", "link", "show", "id", id)), SideBySide.Json(SideBySide.Ebpf(null, "-j", "link", "show", "id", id)));
        Assert.Equal(FirstLine(SideBySide.Bpftool(null, "link", "show", "id", id)), FirstLine(SideBySide.Ebpf(null, "link", "show", "id", id)));
    }

    [Fact]
    public void CgroupLink_ShowAgreesWithBpftool()
    {
        KernelAssert.RequireRoot();
        using var pins = new BpfFsDirectory();
        Linux.Links.Cgroup.TryFindMount(out string? mount);
        if (mount is null) Assert.Skip("no cgroup v2 mount");
        string cgroup = Path.Combine(mount, $"ebpf-cli-link-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(cgroup);
        try
        {
            SideBySide.Bpftool(null, "prog", "load", RepoPaths.BpfObject("tests/cgroup_skb_pass.o"), pins["prog"], "type", "cgroup/skb");
            using KernelProgram program = KernelProgram.OpenPinned(pins["prog"]);
            using CgroupLink link = KernelAssert.RunOrSkip(() => CgroupLink.Attach(program, cgroup, AttachType.CgroupInetEgress));
            string id = link.Info().Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            JsonElement bpftool = SideBySide.Json(SideBySide.Bpftool(null, "-j", "link", "show", "id", id));
            Assert.Equal("cgroup_inet_egress", bpftool.GetProperty("attach_type").GetString());
            SideBySide.AssertSameFields(bpftool, SideBySide.Json(SideBySide.Ebpf(null, "-j", "link", "show", "id", id)));
            Assert.Equal(SideBySide.Bpftool(null, "link", "show", "id", id).Split("\n\tpids")[0].TrimEnd('\n'),
                SideBySide.Ebpf(null, "link", "show", "id", id).Split("\n\tpids")[0].TrimEnd('\n'));
        }
        finally
        {
            Directory.Delete(cgroup);
        }
    }

    [Fact]
    public void RawTracepointLink_ShowAndPerfListAgreeWithBpftool()
    {
        KernelAssert.RequireRoot();
        using var pins = new BpfFsDirectory();
        SideBySide.Bpftool(null, "prog", "loadall", RepoPaths.BpfObject("tests/trace_probes.o"), pins["progs"]);
        using KernelProgram program = KernelProgram.OpenPinned(pins["progs"] + "/raw_sys_enter");
        using RawTracepointLink link = KernelAssert.RunOrSkip(() => RawTracepointLink.Attach(program, "sys_enter"));
        string id = link.Info().Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        JsonElement bpftool = SideBySide.Json(SideBySide.Bpftool(null, "-j", "link", "show", "id", id));
        Assert.Equal("sys_enter", bpftool.GetProperty("tp_name").GetString());
        SideBySide.AssertSameFields(bpftool, SideBySide.Json(SideBySide.Ebpf(null, "-j", "link", "show", "id", id)));
        Assert.Equal(SideBySide.Bpftool(null, "link", "show", "id", id).Split("\n\tpids")[0].TrimEnd('\n'),
            SideBySide.Ebpf(null, "link", "show", "id", id).Split("\n\tpids")[0].TrimEnd('\n'));

        // perf list reports the raw tracepoint link's fd of this process (BPF_TASK_FD_QUERY on a bpf-link fd).
        JsonElement[] Mine(JsonElement list) => [.. list.EnumerateArray().Where(e => e.GetProperty("pid").GetInt32() == Environment.ProcessId)];
        JsonElement[] fromBpftool = Mine(SideBySide.Json(SideBySide.Bpftool(null, "-j", "perf", "list")));
        JsonElement[] fromEbpf = Mine(SideBySide.Json(SideBySide.Ebpf(null, "-j", "perf", "list")));
        JsonElement entry = Assert.Single(fromBpftool);
        Assert.Equal("raw_tracepoint", entry.GetProperty("fd_type").GetString());
        Assert.Equal(fromBpftool.Length, fromEbpf.Length);
        SideBySide.AssertSameFields(entry, fromEbpf[0]);
    }

    [Fact]
    public void MissingLink_IsOneLineError()
    {
        KernelAssert.RequireRoot();
        var (code, _, stderr) = SideBySide.TryEbpf(null, "link", "show", "id", "4000000000");
        Assert.NotEqual(0, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("4000000000", stderr, StringComparison.Ordinal);
        (code, _, stderr) = SideBySide.TryEbpf(null, "link", "detach", "pinned", "/sys/fs/bpf/no-such-link-here");
        Assert.NotEqual(0, code);
        Assert.Contains("/sys/fs/bpf/no-such-link-here", stderr, StringComparison.Ordinal);
    }

    // ebpf adds detail lines (ifindex, pids) that bpftool 7.1 leaves out: docs/COMPATIBILITY.md.
    private static string FirstLine(string text) => text.Split('\n')[0];

    private static void AssertListsAgree(string id)
    {
        JsonElement Mine(JsonElement list) => list.EnumerateArray().Single(l => l.GetProperty("id").GetRawText() == id);
        SideBySide.AssertSameFields(Mine(SideBySide.Json(SideBySide.Bpftool(null, "-j", "link", "list"))), Mine(SideBySide.Json(SideBySide.Ebpf(null, "-j", "link", "list"))));
    }
}
