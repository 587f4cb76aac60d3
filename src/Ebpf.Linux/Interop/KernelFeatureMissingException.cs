namespace Ebpf.Linux;

/// <summary>The running kernel lacks a feature (a map type, program type, helper, link type or attribute).</summary>
public class KernelFeatureMissingException : NotSupportedException
{
    /// <summary>Creates an exception for <paramref name="feature"/>.</summary>
    /// <param name="feature">What is missing, in kernel vocabulary ("BPF_MAP_TYPE_ARENA").</param>
    /// <param name="detail">Why we think so (the failed call and errno, or the first kernel release that has it).</param>
    /// <param name="since">The first Linux release with the feature ("5.8"), when known.</param>
    public KernelFeatureMissingException(string feature, string? detail = null, string? since = null)
        : base(detail is null ? $"{feature} is not supported by this kernel" : $"{feature} is not supported by this kernel: {detail}")
        => (Feature, Since) = (feature, since);

    /// <summary>Creates an exception for <paramref name="feature"/> caused by <paramref name="inner"/>.</summary>
    /// <param name="feature">What is missing, in kernel vocabulary.</param>
    /// <param name="detail">Why we think so.</param>
    /// <param name="since">The first Linux release with the feature, when known.</param>
    /// <param name="inner">The failure that told (a <see cref="BpfException"/> keeps the kernel's errno).</param>
    public KernelFeatureMissingException(string feature, string? detail, string? since, Exception? inner)
        : base(detail is null ? $"{feature} is not supported by this kernel" : $"{feature} is not supported by this kernel: {detail}", inner)
        => (Feature, Since) = (feature, since);

    /// <summary>Creates an exception with a plain message.</summary>
    public KernelFeatureMissingException() : this("feature") { }

    /// <summary>Creates an exception with an inner exception.</summary>
    public KernelFeatureMissingException(string message, Exception inner) : base(message, inner) => Feature = message;

    /// <summary>What is missing, in kernel vocabulary.</summary>
    public string Feature { get; }

    /// <summary>The first Linux release with the feature ("5.8"), or null when not known.</summary>
    public string? Since { get; }

    /// <summary>
    /// True when a kernel of version <paramref name="kernelRelease"/> (<c>uname -r</c>, "6.18.3-foo") should have the
    /// feature, i.e. the probe that said "missing" is suspect. Tests use this to fail instead of skipping.
    /// </summary>
    public bool ShouldExistOn(string kernelRelease)
    {
        if (Since is null || !TryParse(Since, out var since)) return false;
        return TryParse(kernelRelease, out var running) && running >= since;
    }

    private static bool TryParse(string release, out Version version)
    {
        int end = 0;
        while (end < release.Length && (char.IsAsciiDigit(release[end]) || release[end] == '.')) end++;
        string numbers = release[..end].TrimEnd('.');
        if (!numbers.Contains('.', StringComparison.Ordinal)) numbers += ".0";
        return Version.TryParse(numbers, out version!);
    }
}
