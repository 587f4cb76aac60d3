using System.Text.Json;
using Ebpf.Linux;
using Ebpf.Linux.Links;
using Ebpf.Linux.NetNs;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary><c>link show|pin|detach</c>: ebpf and bpftool on the same links.</summary>
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
