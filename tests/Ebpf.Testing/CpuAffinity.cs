using System.Runtime.InteropServices;

namespace Ebpf.Testing;

/// <summary>
/// Which CPUs a test thread can run on. Tests that produce events on a given CPU pin a thread there; a CPU being
/// online (or possible) does not mean this process may use it: a cpuset cgroup (a container started with
/// --cpuset-cpus) refuses the others with EINVAL. So the CPUs are found by trying, on a thread of their own.
/// </summary>
public static partial class CpuAffinity
{
    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nuint size, ReadOnlySpan<ulong> mask);

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; false when the kernel refuses (the CPU is not allowed here).</summary>
    public static bool TryPinCurrentThread(int cpu)
    {
        Span<ulong> mask = stackalloc ulong[Math.Max(16, cpu / 64 + 1)];
        mask.Clear();
        mask[cpu / 64] |= 1UL << (cpu % 64);
        return SchedSetAffinity(0, (nuint)(mask.Length * 8), mask) == 0;
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/>, failing the test with the errno when refused.</summary>
    public static void PinCurrentThread(int cpu)
    {
        if (!TryPinCurrentThread(cpu))
            Xunit.Assert.Fail($"sched_setaffinity to CPU {cpu} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Those of <paramref name="candidates"/> a thread of this process can be pinned to (tried on a throw-away thread,
    /// so the caller's affinity is untouched), in order.
    /// </summary>
    public static IReadOnlyList<int> Usable(IEnumerable<int> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        int[] cpus = [.. candidates];
        var usable = new List<int>();
        var probe = new Thread(() =>
        {
            foreach (int cpu in cpus)
                if (TryPinCurrentThread(cpu)) usable.Add(cpu);
        });
        probe.Start();
        probe.Join();
        return usable;
    }
}
