namespace Ebpf.Linux.Features;

/// <summary>The answer of a feature probe.</summary>
public enum ProbeResult
{
    /// <summary>Not probed yet.</summary>
    Unknown = 0,
    /// <summary>The kernel has the feature.</summary>
    Present,
    /// <summary>The kernel lacks the feature.</summary>
    Missing,
    /// <summary>The probe could not tell (no permission, out of memory): not cached, asked again next time.</summary>
    Inconclusive,
}
