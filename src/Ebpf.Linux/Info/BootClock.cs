using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>
/// CLOCK_BOOTTIME, the kernel's time since boot (suspend included): the clock of <see cref="ProgramInfo.LoadTime"/>
/// and of <c>bpf_ktime_get_boot_ns()</c>. Turning such a time into wall-clock time is what bpftool's <c>loaded_at</c> does.
/// </summary>
public static class BootClock
{
    /// <summary>The time since boot now.</summary>
    public static TimeSpan Now => FromNanoseconds(Libc.ClockNanoseconds(Libc.ClockBoottime));

    /// <summary>
    /// The wall-clock time (UTC) <paramref name="sinceBoot"/> after boot: now minus how long ago that was. Moving the
    /// system clock moves the answer, as it moves bpftool's.
    /// </summary>
    public static DateTimeOffset ToWallClock(TimeSpan sinceBoot) => DateTimeOffset.UtcNow - (Now - sinceBoot);

    /// <summary>A CLOCK_BOOTTIME reading in nanoseconds (what <c>bpf_ktime_get_boot_ns()</c> returns) as a time since boot.</summary>
    public static TimeSpan FromNanoseconds(long nanoseconds) => TimeSpan.FromTicks(nanoseconds / TimeSpan.NanosecondsPerTick);
}
