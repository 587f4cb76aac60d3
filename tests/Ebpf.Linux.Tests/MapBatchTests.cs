using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>BPF_MAP_*_BATCH: many elements per system call.</summary>
public sealed class MapBatchTests
{
    public MapBatchTests() => KernelAssert.RequireRoot();

    [Theory]
    [InlineData(MapType.Hash)]
    [InlineData(MapType.Array)]
    public void UpdateLookupDelete_Batch(MapType type)
    {
        const int n = 1000;
        using var map = KernelAssert.RunOrSkip(() => KernelMap.Create(type, 4, 8, n, "t_batch"));
        uint[] keys = Enumerable.Range(0, n).Select(i => (uint)i).ToArray();
        ulong[] values = keys.Select(k => k * 3UL + 1).ToArray();
        Assert.Equal(n, map.UpdateBatch<uint, ulong>(keys, values));

        var cursor = new MapBatchCursor();
        var seen = new Dictionary<uint, ulong>();
        var kbuf = new uint[128];
        var vbuf = new ulong[128];
        int calls = 0;
        while (!cursor.IsComplete)
        {
            int got = map.LookupBatch(cursor, kbuf.AsSpan(), vbuf.AsSpan());
            for (int i = 0; i < got; i++) seen.Add(kbuf[i], vbuf[i]);
            Assert.True(++calls < 100);
        }
        Assert.Equal(n, seen.Count);
        Assert.All(seen, kv => Assert.Equal(kv.Key * 3UL + 1, kv.Value));
        Assert.Equal(0, map.LookupBatch(cursor, kbuf.AsSpan(), vbuf.AsSpan()));

        if (type == MapType.Array) return;   // array elements cannot be deleted
        Assert.Equal(n / 2, map.DeleteBatch<uint>(keys.AsSpan(0, n / 2)));
        Assert.Equal(n / 2, map.Keys<uint>().Count());
        var missing = Assert.Throws<BpfException>(() => map.DeleteBatch<uint>(keys.AsSpan(0, 1)));
        Assert.Equal(Errno.ENOENT, missing.Errno);

        // Lookup-and-delete drains the map.
        cursor = new MapBatchCursor();
        int drained = 0;
        var rk = new byte[4 * 256];
        var rv = new byte[8 * 256];
        while (!cursor.IsComplete) drained += map.LookupAndDeleteBatch(cursor, rk, rv);
        Assert.Equal(n / 2, drained);
        Assert.Empty(map.Keys<uint>());
    }

    [Fact]
    public void PerCpu_BatchUsesFullValueBuffers()
    {
        int cpus = PossibleCpus.Count;
        using var map = KernelMap.Create(MapType.PerCpuHash, 4, 8, 16, "t_batch_pcpu");
        for (uint k = 0; k < 10; k++) map.UpdateAllCpus(k, (ulong)k);
        var cursor = new MapBatchCursor();
        var keys = new byte[4 * 16];
        var values = new byte[map.ValueBufferSize * 16];
        int total = 0;
        while (!cursor.IsComplete)
        {
            int got = map.LookupBatch(cursor, keys.AsSpan(total * 4), values.AsSpan(total * map.ValueBufferSize));
            total += got;
        }
        Assert.Equal(10, total);
        for (int i = 0; i < total; i++)
        {
            uint k = BitConverter.ToUInt32(keys, i * 4);
            for (int cpu = 0; cpu < cpus; cpu++)
                Assert.Equal((ulong)k, BitConverter.ToUInt64(values, i * map.ValueBufferSize + cpu * 8));
        }
    }
}
