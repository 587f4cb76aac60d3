using System.Runtime.InteropServices;

namespace Ebpf.Testing;

/// <summary>
/// The CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID): a bound on how much work a test does that holds
/// on a loaded machine, where wall-clock time also counts the time other processes had the CPU.
/// </summary>
public static partial class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>The calling thread's CPU time so far.</summary>
    public static TimeSpan Now
    {
        get
        {
            if (ClockGetTime(ClockThreadCpuTimeId, out TimeSpec t) != 0)
                throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: errno {Marshal.GetLastPInvokeError()}");
            return TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100);
        }
    }
}
