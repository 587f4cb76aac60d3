using System.Text.Json;
using Ebpf.Linux.Features;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>Feature probes against <c>bpftool feature probe kernel</c>.</summary>
public sealed class FeatureTests
{
    public FeatureTests() => KernelAssert.RequireRoot();

    private static readonly JsonElement s_bpftool = BpfTool.Json("feature", "probe", "kernel");

    [Fact]
    public void MapTypes_AgreeWithBpftool()
    {
        int compared = 0;
        foreach (MapType type in Enum.GetValues<MapType>().Where(t => t != MapType.Unspec))
        {
            string key = $"have_{KernelNames.Of(type)["BPF_MAP_TYPE_".Length..].ToLowerInvariant()}_map_type";
            if (!s_bpftool.GetProperty("map_types").TryGetProperty(key, out JsonElement have)) continue;   // newer than bpftool
            Assert.True(have.GetBoolean() == KernelFeatures.MapType(type).IsSupported, $"{type}: bpftool says {have}");
            compared++;
        }
        Assert.True(compared > 25);
    }

    [Fact]
    public void ProgramTypes_AgreeWithBpftool()
    {
        // bpftool 7.1 (libbpf 1.1) probes tracing, ext and LSM without a BTF target and reports them missing; the
        // kernel runs its verifier on them (it knows the type) before refusing the missing target, which we count.
        ProgramType[] bpftoolBlind = [ProgramType.Tracing, ProgramType.Ext, ProgramType.Lsm];
        int compared = 0;
        foreach (ProgramType type in Enum.GetValues<ProgramType>().Where(t => t != ProgramType.Unspec && !bpftoolBlind.Contains(t)))
        {
            string key = $"have_{KernelNames.Of(type)["BPF_PROG_TYPE_".Length..].ToLowerInvariant()}_prog_type";
            if (!s_bpftool.GetProperty("program_types").TryGetProperty(key, out JsonElement have)) continue;
            Assert.True(have.GetBoolean() == KernelFeatures.ProgramType(type).IsSupported, $"{type}: bpftool says {have}");
            compared++;
        }
        Assert.True(compared > 25);
        // This kernel knows tracing programs but refuses to load them here with EPERM: not a conclusive "missing".
        Assert.NotEqual(ProbeResult.Missing, KernelFeatures.ProgramType(ProgramType.Tracing).Result);
        Assert.Equal(ProbeResult.Present, KernelFeatures.ProgramType(ProgramType.StructOps).Result);
    }

    [Fact]
    public void Helpers_PerProgramType()
    {
        const int mapLookupElem = 1, redirect = 23, xdpAdjustHead = 44, getCurrentPidTgid = 14;
        Assert.True(KernelFeatures.Helper(ProgramType.Xdp, mapLookupElem).IsSupported);
        Assert.True(KernelFeatures.Helper(ProgramType.Xdp, redirect).IsSupported);
        Assert.True(KernelFeatures.Helper(ProgramType.Xdp, xdpAdjustHead).IsSupported);
        Assert.False(KernelFeatures.Helper(ProgramType.Kprobe, xdpAdjustHead).IsSupported);
        Assert.True(KernelFeatures.Helper(ProgramType.Kprobe, getCurrentPidTgid).IsSupported);
        Assert.False(KernelFeatures.Helper(ProgramType.Xdp, 100_000).IsSupported);
        // A helper of a program type the kernel lacks is missing too (bpftool: lirc_mode2 is absent here).
        if (!KernelFeatures.ProgramType(ProgramType.LircMode2).IsSupported)
            Assert.False(KernelFeatures.Helper(ProgramType.LircMode2, mapLookupElem).IsSupported);
    }

    [Fact]
    public void MiscProbes_AgreeWithBpftool_AndAreConclusiveOnKernelsThatHaveThem()
    {
        JsonElement misc = s_bpftool.GetProperty("misc");
        (string Key, KernelFeature Feature)[] probes =
        [
            ("have_large_insn_limit", KernelFeatures.LargeInstructionLimit), ("have_bounded_loops", KernelFeatures.BoundedLoops),
            ("have_v2_isa_extension", KernelFeatures.InstructionSetV2), ("have_v3_isa_extension", KernelFeatures.InstructionSetV3),
        ];
        foreach (var (key, feature) in probes)
        {
            Assert.True(misc.GetProperty(key).GetBoolean() == feature.IsSupported, $"{feature}: bpftool says {key} {misc.GetProperty(key)}");
            // A kernel at least as new as the feature has it: a probe answering otherwise is broken, not the kernel.
            if (KernelAssert.ReleaseAtLeast(feature.Since!)) Assert.Equal(ProbeResult.Present, feature.Result);
        }
    }

    [Fact]
    public void LinkTypes_AndMisc()
    {
        foreach (LinkType t in new[] { LinkType.RawTracepoint, LinkType.Xdp, LinkType.Cgroup })
            Assert.True(KernelFeatures.LinkType(t).IsSupported, t.ToString());
        Assert.Equal(ProbeResult.Missing, KernelFeatures.LinkType((LinkType)999).Result);
        Assert.True(KernelFeatures.LinkCreate.IsSupported);
        Assert.True(KernelFeatures.MmapableMaps.IsSupported);
        Assert.True(KernelFeatures.MapBatchOperations.IsSupported);
        Assert.Same(KernelFeatures.MapType(MapType.Hash), KernelFeatures.MapType(MapType.Hash));
    }

    [Fact]
    public void ThrowIfMissing_CarriesTheFirstRelease()
    {
        var feature = new KernelFeature("BPF_FAKE", "99.1", () => ProbeResult.Missing);
        var e = Assert.Throws<KernelFeatureMissingException>(feature.ThrowIfMissing);
        Assert.Equal("BPF_FAKE", e.Feature);
        Assert.Contains("needs Linux 99.1+", e.Message, StringComparison.Ordinal);
        Assert.False(e.ShouldExistOn("6.18.1"));
        Assert.True(new KernelFeatureMissingException("X", since: "5.8").ShouldExistOn("6.18.44-fc"));
        int calls = 0;
        var flaky = new KernelFeature("BPF_FLAKY", null, () => ++calls < 3 ? ProbeResult.Inconclusive : ProbeResult.Present);
        Assert.False(flaky.IsSupported);
        Assert.False(flaky.IsSupported);
        Assert.True(flaky.IsSupported);
        Assert.True(flaky.IsSupported);
        Assert.Equal(3, calls);   // inconclusive answers are asked again, conclusive ones are cached
    }
}
