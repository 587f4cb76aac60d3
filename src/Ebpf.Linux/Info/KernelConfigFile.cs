using System.Diagnostics.CodeAnalysis;
using Ebpf.Loader;

namespace Ebpf.Linux;

/// <summary>
/// The running kernel's build configuration, where distributions and the kernel keep it: <c>/boot/config-$(uname -r)</c>,
/// else <c>/proc/config.gz</c> (CONFIG_IKCONFIG_PROC). Parsed by <see cref="KernelConfig.Parse(Stream)"/>, the form
/// <see cref="CollectionLoadOptions.KernelConfig"/> takes for <c>__kconfig</c> externs.
/// </summary>
public static class KernelConfigFile
{
    /// <summary>The compressed configuration the kernel itself serves (CONFIG_IKCONFIG_PROC).</summary>
    public const string ProcPath = "/proc/config.gz";

    /// <summary>Finds the running kernel's configuration file; false when neither place has one.</summary>
    public static bool TryFind([NotNullWhen(true)] out string? path)
    {
        string boot = BootPath();
        path = File.Exists(boot) ? boot : File.Exists(ProcPath) ? ProcPath : null;
        return path is not null;
    }

    /// <summary>Reads and parses the running kernel's configuration; false when no configuration file exists.</summary>
    /// <exception cref="FormatException">The file is not a kernel configuration.</exception>
    /// <exception cref="IOException">The file exists but could not be read.</exception>
    public static bool TryRead([NotNullWhen(true)] out IReadOnlyDictionary<string, string>? config)
    {
        config = TryFind(out string? path) ? Parse(path) : null;
        return config is not null;
    }

    /// <summary>Reads and parses the running kernel's configuration.</summary>
    /// <exception cref="FileNotFoundException">Neither /boot/config-RELEASE nor /proc/config.gz exists.</exception>
    /// <exception cref="FormatException">The file is not a kernel configuration.</exception>
    public static IReadOnlyDictionary<string, string> Read() =>
        TryRead(out var config) ? config
            : throw new FileNotFoundException($"no kernel configuration: neither {BootPath()} nor {ProcPath} (CONFIG_IKCONFIG_PROC) exists");

    // uname -r
    private static string BootPath() => $"/boot/config-{File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}";

    private static IReadOnlyDictionary<string, string> Parse(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return KernelConfig.Parse(stream);
    }
}
