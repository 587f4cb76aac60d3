using System.Reflection;
using Xunit;

namespace Ebpf.Testing;

/// <summary>Kernel tests skip (never pass silently) when the kernel lacks a feature, and fail when a probe lies.</summary>
public static class KernelAssert
{
    /// <summary><c>uname -r</c> of the running kernel.</summary>
    public static string KernelRelease { get; } = File.Exists("/proc/sys/kernel/osrelease")
        ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "0.0";

    /// <summary>The major.minor of <paramref name="release"/> ("6.1.0-50-cloud-amd64" -> 6.1); 0.0 when unreadable.</summary>
    public static Version ParseRelease(string release)
    {
        ArgumentNullException.ThrowIfNull(release);
        string[] parts = release.Split('.', '-', '+');
        return parts.Length >= 2 && int.TryParse(parts[0], out int major) && int.TryParse(parts[1], out int minor)
            ? new Version(major, minor) : new Version(0, 0);
    }

    /// <summary>True when the running kernel is at least <paramref name="version"/> ("6.6").</summary>
    public static bool ReleaseAtLeast(string version) => ParseRelease(KernelRelease) >= ParseRelease(version);

    /// <summary>True when running as root (the kernel tests need CAP_BPF, CAP_SYS_ADMIN and CAP_NET_ADMIN).</summary>
    public static bool IsRoot => Environment.UserName == "root" || File.ReadAllText("/proc/self/status").Contains("\nUid:\t0\t", StringComparison.Ordinal);

    /// <summary>Skips the test unless it runs as root.</summary>
    public static void RequireRoot()
    {
        if (!IsRoot) Assert.Skip("kernel tests need root (CAP_BPF, CAP_SYS_ADMIN)");
    }

    /// <summary>
    /// Runs <paramref name="action"/>; a "feature missing" exception (any <see cref="NotSupportedException"/>) skips the
    /// test with its message, unless the exception says a kernel this new should have the feature: then the probe is
    /// wrong and the test fails, except where the kernel's own configuration shows the feature compiled out
    /// (<see cref="KernelConfigFacts"/>): a machine's kernel may be built without it, and the skip says so.
    /// </summary>
    public static T RunOrSkip<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (NotSupportedException e) when (!ShouldExist(e) || CompiledOut(e) is not null)
        {
            string? off = CompiledOut(e);
            Assert.Skip($"not available on Linux {KernelRelease}: {e.Message}{(off is null ? "" : $" ({off})")}");
            throw;
        }
    }

    /// <summary>"CONFIG_X is not set in ..." when the exception's feature is measured compiled out; else null.</summary>
    public static string? CompiledOut(NotSupportedException e) =>
        e?.GetType().GetProperty("Feature")?.GetValue(e) is string feature ? KernelConfigFacts.CompiledOut(feature) : null;

    /// <summary><see cref="RunOrSkip{T}(Func{T})"/> for actions without a result.</summary>
    public static void RunOrSkip(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        RunOrSkip(() => { action(); return 0; });
    }

    // KernelFeatureMissingException.ShouldExistOn(release), found by name: this project does not reference Ebpf.Linux.
    private static bool ShouldExist(NotSupportedException e) =>
        e.GetType().GetMethod("ShouldExistOn", BindingFlags.Public | BindingFlags.Instance, [typeof(string)]) is { } m
        && m.Invoke(e, [KernelRelease]) is true;
}
