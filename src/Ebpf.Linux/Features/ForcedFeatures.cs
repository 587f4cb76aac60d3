using System.Collections.Frozen;

namespace Ebpf.Linux.Features;

/// <summary>
/// Probe answers overridden from the environment, for testing the tests: <c>EBPF_NET_FORCE_FEATURES</c> holds
/// comma-separated <c>NAME=present|missing</c> pairs naming features as <see cref="KernelFeature.Name"/> does
/// (<c>BPF_LINK_TYPE_TCX=present</c>). The kernel matrix uses it to check that a lying probe makes tests fail
/// instead of skipping them. Never set it in production.
/// </summary>
public static class ForcedFeatures
{
    /// <summary>The environment variable read once per process.</summary>
    public const string EnvironmentVariable = "EBPF_NET_FORCE_FEATURES";

    private static readonly Lazy<FrozenDictionary<string, ProbeResult>> s_forced =
        new(() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable)));

    /// <summary>The forced answer for the feature named <paramref name="name"/>, if any.</summary>
    public static bool TryGet(string name, out ProbeResult result) => s_forced.Value.TryGetValue(name, out result);

    /// <summary>Parses <c>NAME=present|missing[,...]</c>.</summary>
    /// <exception cref="FormatException">A pair is malformed or its answer is neither present nor missing.</exception>
    public static FrozenDictionary<string, ProbeResult> Parse(string? text)
    {
        var forced = new Dictionary<string, ProbeResult>(StringComparer.Ordinal);
        foreach (string pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new FormatException($"{EnvironmentVariable}: '{pair}' is not NAME=present|missing");
            forced[pair[..eq]] = pair[(eq + 1)..].ToLowerInvariant() switch
            {
                "present" => ProbeResult.Present,
                "missing" => ProbeResult.Missing,
                var other => throw new FormatException($"{EnvironmentVariable}: '{other}' for {pair[..eq]} is neither present nor missing"),
            };
        }
        return forced.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
