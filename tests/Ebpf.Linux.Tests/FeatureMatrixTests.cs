using System.Globalization;
using System.Text;
using Ebpf.Linux.Features;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>
/// The features each kernel of the matrix must have, by the release that introduced them: a probe that reports a
/// feature missing on a kernel that has it (and so would make its tests skip) fails here, and so does one that
/// reports a feature present on a kernel too old for it. The table is written to <c>EBPF_NET_FEATURE_TABLE</c> when
/// set, from which the matrix builds docs/COMPATIBILITY.md's features x kernels table.
/// </summary>
public sealed class FeatureMatrixTests
{
    public FeatureMatrixTests() => KernelAssert.RequireRoot();

    private const int BpfLoop = 181, RingbufOutput = 130, GetFuncIp = 173, Timer = 169;

    /// <summary>(feature, the first release with it). Only features Debian's kernels do not backport or compile out.</summary>
    public static IEnumerable<(KernelFeature Feature, string Since)> Expected() =>
    [
        (KernelFeatures.LinkCreate, "5.7"),
        (KernelFeatures.MmapableMaps, "5.5"),
        (KernelFeatures.MapBatchOperations, "5.6"),
        (KernelFeatures.InstructionSetV4, "6.6"),
        (KernelFeatures.AtomicFetch, "5.12"),
        (KernelFeatures.MapType(MapType.RingBuffer), "5.8"),
        (KernelFeatures.MapType(MapType.TaskStorage), "5.11"),
        (KernelFeatures.MapType(MapType.BloomFilter), "5.16"),
        (KernelFeatures.MapType(MapType.UserRingBuffer), "6.1"),
        (KernelFeatures.MapType(MapType.CgrpStorage), "6.2"),
        (KernelFeatures.ProgramType(ProgramType.SkLookup), "5.9"),
        (KernelFeatures.ProgramType(ProgramType.Syscall), "5.14"),
        (KernelFeatures.ProgramType(ProgramType.Netfilter), "6.4"),
        (KernelFeatures.LinkType(LinkType.Xdp), "5.9"),
        (KernelFeatures.LinkType(LinkType.PerfEvent), "5.15"),
        (KernelFeatures.LinkType(LinkType.KprobeMulti), "5.18"),
        (KernelFeatures.LinkType(LinkType.StructOps), "6.0"),
        (KernelFeatures.LinkType(LinkType.Netfilter), "6.4"),
        (KernelFeatures.LinkType(LinkType.Tcx), "6.6"),
        (KernelFeatures.LinkType(LinkType.UprobeMulti), "6.6"),
        (KernelFeatures.LinkType(LinkType.Netkit), "6.7"),
        (KernelFeatures.Helper(ProgramType.Xdp, RingbufOutput), "5.8"),
        (KernelFeatures.Helper(ProgramType.Kprobe, GetFuncIp), "5.15"),
        (KernelFeatures.Helper(ProgramType.Xdp, Timer), "5.15"),
        (KernelFeatures.Helper(ProgramType.Xdp, BpfLoop), "5.17"),
    ];

    [Fact]
    public void Probes_AgreeWithTheReleaseThatIntroducedEachFeature()
    {
        var wrong = new List<string>();
        var table = new StringBuilder();
        foreach ((KernelFeature feature, string since) in Expected())
        {
            bool expected = KernelAssert.ReleaseAtLeast(since);
            ProbeResult result = feature.Result;
            table.Append(CultureInfo.InvariantCulture, $"{feature.Name}\t{since}\t{(result == ProbeResult.Present ? "yes" : result == ProbeResult.Missing ? "no" : "?")}\n");
            // A kernel new enough may still be built without it (a machine's own kernel, not Debian's): only the
            // kernel's configuration, read independently of the probe, excuses "missing" then.
            if (expected && result == ProbeResult.Missing && KernelConfigFacts.CompiledOut(feature.Name) is not null) continue;
            if (result != (expected ? ProbeResult.Present : ProbeResult.Missing))
                wrong.Add($"{feature.Name} (since {since}): probe says {result} on {KernelAssert.KernelRelease}");
        }
        if (Environment.GetEnvironmentVariable("EBPF_NET_FEATURE_TABLE") is { Length: > 0 } path)
            File.WriteAllText(path, table.ToString());
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void ForcedFeatures_ParseAndReject()
    {
        var forced = ForcedFeatures.Parse("BPF_LINK_TYPE_TCX=present, BPF ISA v4=MISSING");
        Assert.Equal(ProbeResult.Present, forced["BPF_LINK_TYPE_TCX"]);
        Assert.Equal(ProbeResult.Missing, forced["BPF ISA v4"]);
        Assert.Empty(ForcedFeatures.Parse(null));
        Assert.Throws<FormatException>(() => ForcedFeatures.Parse("BPF_LINK_TYPE_TCX"));
        Assert.Contains("maybe", Assert.Throws<FormatException>(() => ForcedFeatures.Parse("X=maybe")).Message);
    }

    [Fact]
    public void ProgramTagAlgorithm_IsOneOfTheTwoDigests()
    {
        // The host (6.18) hashes with SHA-256; Debian's 5.10, 6.1 and 6.12 with SHA-1.
        ProgramTagAlgorithm expected = KernelAssert.ReleaseAtLeast("6.18") ? ProgramTagAlgorithm.Sha256 : ProgramTagAlgorithm.Sha1;
        Assert.Equal(expected, KernelProgramTag.Algorithm);
    }
}
