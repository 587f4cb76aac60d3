using System.Globalization;

namespace Ebpf.Linux.Tests.Info;

/// <summary>CLOCK_BOOTTIME against /proc/uptime, and a program's load time turned into wall-clock time.</summary>
public sealed class BootClockTests
{
    [Fact]
    public void Now_IsTheUptimeTheKernelReports()
    {
        double uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        TimeSpan now = BootClock.Now;
        // /proc/uptime is the same clock in hundredths of a second, read a moment earlier.
        Assert.InRange(now.TotalSeconds - uptime, 0, 1);
        Assert.True(BootClock.Now >= now);
    }

    [Fact]
    public void ToWallClock_OfAProgramsLoadTime_IsWhenTheTestLoadedIt()
    {
        Ebpf.Testing.KernelAssert.RequireRoot();
        DateTimeOffset before = DateTimeOffset.UtcNow;
        using var prog = TestPrograms.Return(ProgramType.SocketFilter, 0, "t_boot_clock");
        DateTimeOffset after = DateTimeOffset.UtcNow;
        DateTimeOffset loaded = BootClock.ToWallClock(prog.Info().LoadTime);
        Assert.InRange(loaded, before - TimeSpan.FromMilliseconds(50), after + TimeSpan.FromMilliseconds(50));
        Assert.Equal(TimeSpan.FromSeconds(1.5), BootClock.FromNanoseconds(1_500_000_000));
    }
}
