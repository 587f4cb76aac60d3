using System.Runtime.InteropServices;
using System.Globalization;
using Ebpf.Linux;

namespace Ebpf.Benchmarks;

/// <summary>
/// The managed side of bench/libbpf-maps: the same measurements as libbpf_maps.c, with the same names, counts and
/// best-of-rounds rule and the same clock (process CPU time), so run.sh can put the two side by side. Each line also says how many bytes the managed code
/// allocated per operation (GC.GetAllocatedBytesForCurrentThread over the best round).
/// </summary>
internal static partial class KernelMapHarness
{
    private const int SingleRounds = 5, BigRounds = 2, LoadRounds = 3;
    private const int SingleOps = 20_000;
    private const int Big = 1_000_000;
    private const int Batch = 4096;

    internal static void Run(string objectPath, int loads)
    {
        Report("hash_update_lookup", HashUpdateLookup());
        using (KernelMap big = FillBig())
        {
            Report("batch_lookup_1m", BatchLookup(big));
            Report("iterate_1m", Iterate(big));
        }
        Report("object_load", ObjectLoad(objectPath, loads));
    }

    private static void Report(string name, (double Ns, double Bytes) r) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {r.Ns:F1} {r.Bytes:F2}"));

    private static (double, double) Best(int rounds, int operations, Action round)
    {
        round(); // warm up: tier-up, lazy statics
        (double ns, double bytes) best = (double.MaxValue, 0);
        for (int r = 0; r < rounds; r++)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            double start = ProcessCpuNanoseconds();
            round();
            double ns = (ProcessCpuNanoseconds() - start) / operations;
            double bytes = (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / operations;
            if (ns < best.ns) best = (ns, bytes);
        }
        return best;
    }

    private static (double, double) HashUpdateLookup()
    {
        using KernelMap map = KernelMap.Create(MapType.Hash, 4, 8, 65536, "b_single");
        return Best(SingleRounds, SingleOps, () =>
        {
            for (uint i = 0; i < SingleOps; i++)
            {
                uint key = i & 0xffff;
                map.Update(key, (ulong)i);
                if (!map.TryLookup(key, out ulong _)) throw new InvalidOperationException("lookup missed");
            }
        });
    }

    // CLOCK_PROCESS_CPUTIME_ID, as libbpf_maps.c reads it: user + system time of every thread of the process (the
    // runtime's own threads included), unaffected by waiting for a CPU on a shared machine.
    private static unsafe double ProcessCpuNanoseconds()
    {
        long* ts = stackalloc long[2];
        if (ClockGetTime(2, ts) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
        return ts[0] * 1e9 + ts[1];
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static unsafe partial int ClockGetTime(int clock, long* timespec);

    private static KernelMap FillBig()
    {
        KernelMap map = KernelMap.Create(MapType.Hash, 4, 8, Big, "b_big");
        uint[] keys = new uint[Big];
        ulong[] values = new ulong[Big];
        for (uint i = 0; i < Big; i++) (keys[i], values[i]) = (i, i * 3UL);
        map.UpdateBatch<uint, ulong>(keys, values);
        return map;
    }

    private static (double, double) BatchLookup(KernelMap map)
    {
        uint[] keys = new uint[Batch];
        ulong[] values = new ulong[Batch];
        var cursor = new MapBatchCursor();
        return Best(BigRounds, Big, () =>
        {
            cursor.Reset();
            int total = 0, n;
            while ((n = map.LookupBatch<uint, ulong>(cursor, keys, values)) > 0 || !cursor.IsComplete) total += n;
            if (total != Big) throw new InvalidOperationException($"batch walk saw {total} elements");
        });
    }

    private static (double, double) Iterate(KernelMap map) => Best(BigRounds, Big, () =>
    {
        int total = 0;
        foreach (uint key in map.Keys<uint>())
        {
            if (!map.TryLookup(key, out ulong _)) throw new InvalidOperationException("lookup missed");
            total++;
        }
        if (total != Big) throw new InvalidOperationException($"iteration saw {total} elements");
    });

    private static (double, double) ObjectLoad(string path, int loads) => Best(LoadRounds, loads, () =>
    {
        for (int i = 0; i < loads; i++)
        {
            CollectionSpec spec = CollectionSpec.LoadFile(path);
            using KernelCollection collection = KernelCollection.Load(spec);
        }
    });
}
