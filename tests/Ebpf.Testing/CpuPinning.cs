using System.Runtime.InteropServices;

namespace Ebpf.Testing;

/// <summary>
/// Pins the calling thread to one CPU, for tests whose programs write per-CPU (perf event arrays): a test run then
/// lands in that CPU's ring. .NET sets only process-wide affinity; sched_setaffinity(0, ...) sets the thread's.
/// </summary>
public static partial class CpuPinning
{
    /// <summary>Pins the calling thread to <paramref name="cpu"/> (at most 1023).</summary>
    public static void PinCurrentThread(int cpu)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cpu);
        Span<ulong> mask = stackalloc ulong[16];
        mask.Clear();
        mask[cpu / 64] |= 1UL << (cpu % 64);
        if (SchedSetAffinity(0, (nuint)(mask.Length * 8), mask) != 0)
            throw new IOException($"sched_setaffinity(cpu {cpu}): errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nuint size, ReadOnlySpan<ulong> mask);
}
