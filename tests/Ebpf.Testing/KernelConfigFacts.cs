using System.IO.Compression;

namespace Ebpf.Testing;

/// <summary>
/// The running kernel's build configuration, from /proc/config.gz (CONFIG_IKCONFIG_PROC) or /boot/config-RELEASE,
/// for skips that name a measured CONFIG_* option: a feature a kernel this new should have may simply be compiled out
/// on a machine's own kernel. Unknown (no config readable) is not "off": a probe saying "missing" then still fails.
/// </summary>
public static class KernelConfigFacts
{
    private static readonly Lazy<(string? Source, Dictionary<string, string> Options)> s_config = new(Load);

    /// <summary>Where the configuration was read from, or null when neither file is readable.</summary>
    public static string? Source => s_config.Value.Source;

    /// <summary>True when the configuration is readable and says <paramref name="option"/> is not set (or absent).</summary>
    public static bool IsOff(string option) =>
        Source is not null && !(s_config.Value.Options.TryGetValue(option, out string? v) && v is "y" or "m");

    /// <summary>
    /// The kernel option a BPF feature (in kernel vocabulary, as <c>KernelFeatureMissingException.Feature</c> names it)
    /// is compiled under, for the features a distribution may build without; null for the rest.
    /// </summary>
    public static string? OptionFor(string feature) => feature switch
    {
        "BPF_PROG_TYPE_NETFILTER" or "BPF_LINK_TYPE_NETFILTER" => "CONFIG_NETFILTER_BPF_LINK",
        "BPF_PROG_TYPE_LSM" or "BPF_MAP_TYPE_INODE_STORAGE" => "CONFIG_BPF_LSM",
        "BPF_LINK_TYPE_KPROBE_MULTI" => "CONFIG_FPROBE",
        "BPF_LINK_TYPE_UPROBE_MULTI" => "CONFIG_UPROBES",
        "BPF_LINK_TYPE_NETKIT" => "CONFIG_NETKIT",
        "BPF_LINK_TYPE_TCX" => "CONFIG_NET_XGRESS",
        "BPF_MAP_TYPE_XSKMAP" => "CONFIG_XDP_SOCKETS",
        "BPF_PROG_TYPE_LIRC_MODE2" => "CONFIG_BPF_LIRC_MODE2",
        "BPF_PROG_TYPE_STRUCT_OPS" or "BPF_MAP_TYPE_STRUCT_OPS" or "BPF_LINK_TYPE_STRUCT_OPS" => "CONFIG_BPF_JIT",
        _ => null,
    };

    /// <summary>"CONFIG_X is not set in SOURCE" when <paramref name="feature"/>'s option is measured off; else null.</summary>
    public static string? CompiledOut(string feature) =>
        OptionFor(feature) is { } option && IsOff(option) ? $"{option} is not set in {Source}" : null;

    private static (string?, Dictionary<string, string>) Load()
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in new[] { "/proc/config.gz", $"/boot/config-{KernelAssert.KernelRelease}" })
        {
            try
            {
                using Stream file = File.OpenRead(path);
                using Stream text = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
                using var reader = new StreamReader(text);
                while (reader.ReadLine() is { } line)
                {
                    int eq = line.IndexOf('=', StringComparison.Ordinal);
                    if (line.StartsWith("CONFIG_", StringComparison.Ordinal) && eq > 0) options[line[..eq]] = line[(eq + 1)..];
                }
                return (path, options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                options.Clear();   // the next source, if any
            }
        }
        return (null, options);
    }
}
