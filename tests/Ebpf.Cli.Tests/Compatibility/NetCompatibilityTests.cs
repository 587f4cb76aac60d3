using System.Text.Json;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary><c>net show|attach|detach</c>: ebpf and bpftool on the same interfaces of a test's own namespace.</summary>
public class NetCompatibilityTests
{
    [Fact]
    public void XdpAttachedByEbpf_ShowsTheSameInBothTools_AndDetaches()
    {
        using var veth = new VethPair();
        using var pins = new BpfFsDirectory();
        SideBySide.Bpftool(null, "prog", "load", RepoPaths.BpfObject("xdp_drop_udp53.o"), pins["prog"], "type", "xdp", "pinmaps", pins["maps"]);
        string ns = veth.NamespaceA;
        try
        {
            SideBySide.Ebpf(ns, "net", "attach", "xdpgeneric", "pinned", pins["prog"], "dev", veth.InterfaceA);
            JsonElement bpftool = SideBySide.Json(SideBySide.Bpftool(ns, "-j", "net", "show"));
            JsonElement ebpf = SideBySide.Json(SideBySide.Ebpf(ns, "-j", "net", "show"));
            Assert.Equal(1, bpftool[0].GetProperty("xdp").GetArrayLength());
            SideBySide.AssertSameFields(bpftool, ebpf);
            Assert.Equal(SideBySide.Bpftool(ns, "net", "show"), SideBySide.Ebpf(ns, "net", "show"));
            SideBySide.AssertSameFields(SideBySide.Json(SideBySide.Bpftool(ns, "-j", "net", "show", "dev", veth.InterfaceA)), SideBySide.Json(SideBySide.Ebpf(ns, "-j", "net", "show", "dev", veth.InterfaceA)));

            // A second attach without 'overwrite' fails with one line naming the interface; with it, it replaces.
            var (code, stdout, stderr) = SideBySide.TryEbpf(ns, "net", "attach", "xdpgeneric", "pinned", pins["prog"], "dev", veth.InterfaceA);
            Assert.NotEqual(0, code);
            Assert.Single(stderr.Trim().Split('\n'));
            Assert.Contains(veth.InterfaceA, stderr, StringComparison.Ordinal);
            Assert.Contains("overwrite", stderr, StringComparison.Ordinal);
            SideBySide.Ebpf(ns, "net", "attach", "xdpgeneric", "pinned", pins["prog"], "dev", veth.InterfaceA, "overwrite");

            SideBySide.Ebpf(ns, "net", "detach", "xdpgeneric", "dev", veth.InterfaceA);
            Assert.Equal(0, SideBySide.Json(SideBySide.Bpftool(ns, "-j", "net", "show"))[0].GetProperty("xdp").GetArrayLength());
        }
        finally
        {
            ExternalTool.TryRun("nsenter", $"--net=/var/run/netns/{ns}", SideBySide.BpftoolPath, "net", "detach", "xdpgeneric", "dev", veth.InterfaceA);
        }
    }

    [Fact]
    public void XdpAndClsactAttachedByOtherTools_EbpfShowsWhatBpftoolShows()
    {
        using var veth = new VethPair();
        using var pins = new BpfFsDirectory();
        string ns = veth.NamespaceA;
        SideBySide.Bpftool(null, "prog", "load", RepoPaths.BpfObject("xdp_drop_udp53.o"), pins["xdp"], "type", "xdp");
        SideBySide.Bpftool(null, "prog", "load", RepoPaths.BpfObject("tests/tc_pass.o"), pins["tc"], "type", "classifier");
        SideBySide.Bpftool(ns, "net", "attach", "xdpgeneric", "pinned", pins["xdp"], "dev", veth.InterfaceA);
        ExternalTool.Run("nsenter", $"--net=/var/run/netns/{ns}", "ip", "link", "set", "lo", "xdpgeneric", "pinned", pins["xdp"]);
        ExternalTool.Run("nsenter", $"--net=/var/run/netns/{ns}", "tc", "qdisc", "add", "dev", veth.InterfaceA, "clsact");
        ExternalTool.Run("nsenter", $"--net=/var/run/netns/{ns}", "tc", "filter", "add", "dev", veth.InterfaceA, "ingress", "bpf", "da", "pinned", pins["tc"]);
        ExternalTool.Run("nsenter", $"--net=/var/run/netns/{ns}", "tc", "filter", "add", "dev", veth.InterfaceA, "egress", "bpf", "da", "pinned", pins["tc"]);

        JsonElement bpftool = SideBySide.Json(SideBySide.Bpftool(ns, "-j", "net", "show"));
        Assert.Equal(2, bpftool[0].GetProperty("xdp").GetArrayLength());
        Assert.Equal(2, bpftool[0].GetProperty("tc").GetArrayLength());
        SideBySide.AssertSameFields(bpftool, SideBySide.Json(SideBySide.Ebpf(ns, "-j", "net", "show")));
        Assert.Equal(SideBySide.Bpftool(ns, "net", "show"), SideBySide.Ebpf(ns, "net", "show"));
        // Deleting the namespace (VethPair) detaches everything.
    }

    [Fact]
    public void TcxIngress_AttachedLikeBpftool_RunsOnTraffic_AndDetaches()
    {
        using var veth = new VethPair();
        using var pins = new BpfFsDirectory();
        string ns = veth.NamespaceA;
        SideBySide.Bpftool(null, "prog", "load", RepoPaths.BpfObject("tests/tc_pass.o"), pins["tc"], "type", "classifier", "pinmaps", pins["maps"]);
        if (!Linux.Features.KernelFeatures.LinkType(LinkType.Tcx).IsSupported) Assert.Skip($"tcx needs Linux 6.6+ (this is {KernelAssert.KernelRelease})");
        SideBySide.Ebpf(ns, "net", "attach", "tcx_ingress", "pinned", pins["tc"], "dev", veth.InterfaceA);

        JsonElement tc = SideBySide.Json(SideBySide.Ebpf(ns, "-j", "net", "show", "dev", veth.InterfaceA))[0].GetProperty("tc");
        JsonElement entry = Assert.Single(tc.EnumerateArray());
        Assert.Equal("tcx/ingress", entry.GetProperty("kind").GetString());
        Assert.Equal("tc_pass", entry.GetProperty("name").GetString());
        Assert.Equal(0, entry.GetProperty("link_id").GetInt32());   // bpftool attaches tcx without a link: nothing to pin
        uint progId = SideBySide.Json(SideBySide.Bpftool(null, "-j", "prog", "show", "pinned", pins["tc"])).GetProperty("id").GetUInt32();
        Assert.Equal(progId, entry.GetProperty("prog_id").GetUInt32());

        // The kernel is the oracle: packets arriving on the interface run the program, which counts them.
        SendDatagrams(veth, 3);
        Assert.True(SeenCount(pins["maps"] + "/tc_seen") >= 3);

        SideBySide.Ebpf(ns, "net", "detach", "tcx_ingress", "dev", veth.InterfaceA);
        Assert.Equal(0, SideBySide.Json(SideBySide.Ebpf(ns, "-j", "net", "show"))[0].GetProperty("tc").GetArrayLength());
        ulong before = SeenCount(pins["maps"] + "/tc_seen");
        SendDatagrams(veth, 2);
        Assert.Equal(before, SeenCount(pins["maps"] + "/tc_seen"));
    }

    [Fact]
    public void Errors_AreOneLineWithTheObject_AndExitNonZero()
    {
        using var veth = new VethPair();
        var (code, stdout, stderr) = SideBySide.TryEbpf(veth.NamespaceA, "net", "attach", "xdp", "id", "4000000000", "dev", veth.InterfaceA);
        Assert.NotEqual(0, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("4000000000", stderr, StringComparison.Ordinal);

        (code, _, stderr) = SideBySide.TryEbpf(veth.NamespaceA, "net", "show", "dev", "no-such-if");
        Assert.NotEqual(0, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("no-such-if", stderr, StringComparison.Ordinal);

        (code, _, stderr) = SideBySide.TryEbpf(veth.NamespaceA, "net", "attach", "xdpfast", "id", "1", "dev", veth.InterfaceA);
        Assert.NotEqual(0, code);
        Assert.Contains("xdpgeneric", stderr, StringComparison.Ordinal);
    }

    /// <summary>UDP datagrams from namespace B to A's discard port, through bash's /dev/udp (ping may be missing).</summary>
    private static void SendDatagrams(VethPair veth, int count) =>
        ExternalTool.Run("nsenter", $"--net=/var/run/netns/{veth.NamespaceB}", "bash", "-c", $"for i in $(seq {count}); do echo x > /dev/udp/{veth.AddressA}/9; done");

    private static ulong SeenCount(string mapPin)
    {
        JsonElement dump = SideBySide.Json(SideBySide.Bpftool(null, "-j", "map", "lookup", "pinned", mapPin, "key", "0", "0", "0", "0"));
        return dump.GetProperty("formatted").GetProperty("value").GetUInt64();
    }
}
