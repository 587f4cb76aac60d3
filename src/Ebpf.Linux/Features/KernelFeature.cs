namespace Ebpf.Linux.Features;

/// <summary>
/// One thing the running kernel may or may not support, answered by a probe that creates and closes a throwaway
/// object. Only conclusive answers are cached; two threads probing at once is harmless.
/// </summary>
public sealed class KernelFeature
{
    private readonly Func<ProbeResult> _probe;
    private ProbeResult _known;

    /// <summary>Creates a feature.</summary>
    /// <param name="name">The kernel's name for it ("BPF_MAP_TYPE_RINGBUF").</param>
    /// <param name="since">The first Linux release with it ("5.8"), or null.</param>
    /// <param name="probe">The probe.</param>
    public KernelFeature(string name, string? since, Func<ProbeResult> probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        (Name, Since, _probe) = (name, since, probe);
    }

    /// <summary>The kernel's name for the feature.</summary>
    public string Name { get; }

    /// <summary>The first Linux release with the feature, when known.</summary>
    public string? Since { get; }

    /// <summary>True when the kernel has the feature (an inconclusive probe counts as missing, and is asked again next time).</summary>
    public bool IsSupported => Result == ProbeResult.Present;

    /// <summary>The probe's answer (cached once conclusive).</summary>
    public ProbeResult Result
    {
        get
        {
            if (_known != ProbeResult.Unknown) return _known;
            ProbeResult r = ForcedFeatures.TryGet(Name, out ProbeResult forced) ? forced : _probe();
            if (r is ProbeResult.Present or ProbeResult.Missing) _known = r;
            return r;
        }
    }

    /// <summary>Throws when the probe says the feature is missing (not when it cannot tell).</summary>
    /// <exception cref="KernelFeatureMissingException">The kernel lacks the feature.</exception>
    public void ThrowIfMissing()
    {
        if (Result == ProbeResult.Missing)
            throw new KernelFeatureMissingException(Name, Since is null ? "probe failed" : $"needs Linux {Since}+", Since);
    }

    /// <summary>"BPF_MAP_TYPE_RINGBUF: Present".</summary>
    public override string ToString() => $"{Name}: {Result}";
}
