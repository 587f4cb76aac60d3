using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

internal static unsafe partial class Libc
{
    internal const int ClockBoottime = 7;   // CLOCK_BOOTTIME

    [LibraryImport(Library, EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, TimeSpec* time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;   // struct timespec on 64-bit Linux
    }

    /// <summary>clock_gettime(<paramref name="clock"/>) in nanoseconds.</summary>
    internal static long ClockNanoseconds(int clock)
    {
        TimeSpec t;
        if (ClockGetTime(clock, &t) != 0) throw new IOException($"clock_gettime({clock}): {LastErrno.Describe()}");
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}
