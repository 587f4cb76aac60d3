using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>Per-CPU maps: one value per possible CPU, checked CPU by CPU against bpftool.</summary>
public sealed class PerCpuMapTests
{
    public PerCpuMapTests() => KernelAssert.RequireRoot();

    [Theory]
    [InlineData(MapType.PerCpuHash)]
    [InlineData(MapType.PerCpuArray)]
    [InlineData(MapType.LruPerCpuHash)]
    public void EightByteValues_MatchAcrossAllCpus(MapType type)
    {
        int cpus = PossibleCpus.Count;
        using var map = KernelMap.Create(type, 4, 8, LruRoom.Capacity(type, 16), "t_pcpu8");
        Assert.True(map.IsPerCpu);
        Assert.Equal(8 * cpus, map.ValueBufferSize);
        for (uint k = 0; k < 16; k++)
        {
            ulong[] values = Enumerable.Range(0, cpus).Select(cpu => k * 100UL + (ulong)cpu).ToArray();
            map.UpdatePerCpu(k, (ReadOnlySpan<ulong>)values);
        }
        Span<ulong> read = stackalloc ulong[cpus];
        for (uint k = 0; k < 16; k++)
        {
            Assert.True(map.TryLookupPerCpu(k, read));
            for (int cpu = 0; cpu < cpus; cpu++) Assert.Equal(k * 100UL + (ulong)cpu, read[cpu]);
        }
        var dump = MapDump.ById(map.Id);
        Assert.Equal(16, dump.Count);
        for (uint k = 0; k < 16; k++)
        {
            string expected = string.Join('|', Enumerable.Range(0, cpus).Select(cpu => MapDump.Hex(BitConverter.GetBytes(k * 100UL + (ulong)cpu))));
            Assert.Equal(expected, dump[MapDump.Hex(BitConverter.GetBytes(k))]);
        }
        Assert.Equal(16, map.Keys<uint>().Count());
    }

    [Fact]
    public void FourByteValues_UseEightByteSlots()
    {
        int cpus = PossibleCpus.Count;
        using var map = KernelMap.Create(MapType.PerCpuHash, 4, 4, 4, "t_pcpu4");
        Assert.Equal(8, map.ValueStride);
        uint[] values = Enumerable.Range(1, cpus).Select(i => (uint)(i * 11)).ToArray();
        map.UpdatePerCpu(7u, (ReadOnlySpan<uint>)values);
        Assert.Equal(values, map.LookupPerCpu<uint, uint>(7u));
        // Raw: each CPU's 4 bytes sit at the start of an 8-byte slot.
        var raw = new byte[map.ValueBufferSize];
        Assert.True(map.TryLookup(BitConverter.GetBytes(7u), raw));
        for (int cpu = 0; cpu < cpus; cpu++) Assert.Equal(values[cpu], BitConverter.ToUInt32(raw, cpu * 8));
        string expected = string.Join('|', values.Select(v => MapDump.Hex(BitConverter.GetBytes(v))));
        Assert.Equal(expected, MapDump.ById(map.Id)[MapDump.Hex(BitConverter.GetBytes(7u))]);
        Assert.Null(map.LookupPerCpu<uint, uint>(8u));
    }

    [Fact]
    public void TypedSingleValueApi_RefusesPerCpuMaps()
    {
        using var map = KernelMap.Create(MapType.PerCpuArray, 4, 8, 1, "t_pcpu_guard");
        Assert.Throws<InvalidOperationException>(() => map.TryLookup(0u, out ulong _));
        Assert.Throws<ArgumentException>(() => map.TryLookupPerCpu(0u, new ulong[Math.Max(0, PossibleCpus.Count - 1)].AsSpan()));
    }

    [Fact]
    public void UpdateAllCpus_SetsEveryCpu()
    {
        using var map = KernelMap.Create(MapType.PerCpuArray, 4, 8, 2, "t_pcpu_all");
        map.UpdateAllCpus(1u, 42UL);
        Assert.All(map.LookupPerCpu<uint, ulong>(1u)!, v => Assert.Equal(42UL, v));
    }

    [Fact]
    public void PossibleCpus_ParsesKernelLists()
    {
        Assert.Equal(4, PossibleCpus.Parse("0-3\n"));
        Assert.Equal(5, PossibleCpus.Parse("0,2-5"));
        Assert.Equal(1, PossibleCpus.Parse("0"));
        Assert.Throws<FormatException>(() => PossibleCpus.Parse("x"));
        Assert.True(Environment.ProcessorCount <= PossibleCpus.Count);
    }
}
