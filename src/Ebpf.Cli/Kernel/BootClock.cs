using System.Globalization;

namespace Ebpf.Cli.Kernel;

/// <summary>
/// Turns the kernel's "nanoseconds since boot" (a program's load time) into wall-clock time, as bpftool's
/// <c>loaded_at</c> does: now minus the time since boot (CLOCK_BOOTTIME, read from /proc/uptime).
/// </summary>
internal static class BootClock
{
    private static readonly Lazy<DateTimeOffset> s_boot = new(() =>
    {
        string uptime = File.ReadAllText("/proc/uptime").Split(' ')[0];
        double seconds = double.Parse(uptime, CultureInfo.InvariantCulture);
        return DateTimeOffset.UtcNow - TimeSpan.FromSeconds(seconds);
    });

    /// <summary>The wall-clock time <paramref name="sinceBoot"/> after boot.</summary>
    public static DateTimeOffset ToWallClock(TimeSpan sinceBoot) => s_boot.Value + sinceBoot;

    /// <summary>bpftool's text form: local time, <c>2026-12-05T19:10:15+0000</c>.</summary>
    public static string Format(DateTimeOffset time)
    {
        DateTimeOffset local = time.ToLocalTime();
        TimeSpan offset = local.Offset;
        string sign = offset < TimeSpan.Zero ? "-" : "+";
        return local.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + sign + offset.ToString("hhmm", CultureInfo.InvariantCulture);
    }
}
