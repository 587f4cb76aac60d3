using Ebpf.Linux;
using Ebpf.Testing;
using Ebpf.Vm.Maps;

namespace Ebpf.Vm.Tests.Maps;

/// <summary>
/// Each userspace map type against a kernel map of the same type, sizes and flags: the same random sequence of
/// operations (lookups, updates with every flag, deletes, pops, walks from present and absent keys) must give the
/// same results, the same bytes and, at the end, the same keys in the same order.
/// </summary>
public sealed class MapDifferentialTests(ITestOutputHelper output)
{
    private const uint ZeroSeed = 1 << 6;

    public static TheoryData<MapType, int, int, int, uint, ulong> Maps => new()
    {
        { MapType.Array, 4, 12, 8, 0, 0 },
        { MapType.PerCpuArray, 4, 4, 6, 0, 0 },
        { MapType.Hash, 4, 8, 8, ZeroSeed, 0 },
        { MapType.Hash, 6, 3, 16, ZeroSeed, 0 },          // byte-wise jhash, values padded to 8 on the host
        { MapType.Hash, 16, 8, 5, ZeroSeed, 0 },          // three-word rounds of jhash2
        { MapType.Hash, 4, 8, 8, ZeroSeed | 1, 0 },       // BPF_F_NO_PREALLOC
        { MapType.PerCpuHash, 8, 4, 8, ZeroSeed, 0 },
        { MapType.Queue, 0, 8, 5, 0, 0 },
        { MapType.Stack, 0, 8, 5, 0, 0 },
        { MapType.BloomFilter, 0, 4, 16, ZeroSeed, 0 },
        { MapType.BloomFilter, 0, 6, 4, ZeroSeed, 3 },
    };

    [Theory]
    [MemberData(nameof(Maps))]
    public void RandomOperations_GiveTheKernelsResults(MapType type, int keySize, int valueSize, int maxEntries, uint flags, ulong extra)
    {
        KernelAssert.RequireRoot();
        using KernelMap kernel = KernelMap.Create(new MapCreateOptions
        {
            Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = (MapFlags)flags, MapExtra = extra, Name = "t_vm_diff",
        });
        var spec = new MapSpec { Name = "t_vm_diff", Type = type, KeySize = (uint)keySize, ValueSize = (uint)valueSize, MaxEntries = (uint)maxEntries, Flags = flags, MapExtra = extra };
        using VmMap vm = VmMapFactory.Create(spec, new VmMapOptions { CpuCount = PossibleCpus.Count });
        Assert.Equal(kernel.ValueBufferSize, vm.HostValueSize);

        var random = new Random(unchecked((int)type * 7919 + keySize * 31 + maxEntries + (int)flags));
        int keySpace = 2 * maxEntries + 1;   // more keys than fit: E2BIG and array bounds
        byte[] key = new byte[keySize], value = new byte[vm.HostValueSize], kernelOut = new byte[vm.HostValueSize], vmOut = new byte[vm.HostValueSize];
        byte[] kernelNext = new byte[keySize], vmNext = new byte[keySize];
        MapUpdateFlags[] updateFlags = [MapUpdateFlags.Any, MapUpdateFlags.NoExist, MapUpdateFlags.Exist, (MapUpdateFlags)3, (MapUpdateFlags)8];
        var seen = new Dictionary<string, int>();
        var trace = new List<string>();
        for (int step = 0; step < 3000; step++)
        {
            FillKey(key, random.Next(keySpace));
            // Updates outweigh deletes so the maps fill up and E2BIG / overwrite paths run too.
            int op = random.Next(8) switch { 0 or 1 => 0, 2 or 3 or 4 => 2, 5 => 3, 6 => 4, _ => 5 };
            string what;
            MapResult expected, actual;
            switch (op)
            {
                case 0:
                case 1:
                    // The bloom filter's lookup reads the value: give both the same probe.
                    random.NextBytes(kernelOut);
                    if (vm.HostValueSize > vm.ValueSize) Pad(kernelOut, vm);
                    kernelOut.CopyTo(vmOut, 0);
                    expected = KernelMapOps.Lookup(kernel, key, kernelOut);
                    actual = vm.Lookup(key, vmOut);
                    what = "lookup";
                    if (expected == MapResult.Ok) Assert.Equal(kernelOut, vmOut);
                    break;
                case 2:
                    random.NextBytes(value);
                    if (vm.HostValueSize > vm.ValueSize) Pad(value, vm);
                    MapUpdateFlags f = updateFlags[random.Next(updateFlags.Length)];
                    expected = KernelMapOps.Update(kernel, key, value, f);
                    actual = vm.Update(key, value, f);
                    what = $"update {f}";
                    break;
                case 3:
                    expected = KernelMapOps.Delete(kernel, key);
                    actual = vm.Delete(key);
                    what = "delete";
                    break;
                case 4:
                    expected = KernelMapOps.LookupAndDelete(kernel, key, kernelOut);
                    actual = vm.LookupAndDelete(key, vmOut);
                    what = "lookup and delete";
                    if (expected == MapResult.Ok) Assert.Equal(kernelOut, vmOut);
                    break;
                default:
                    ReadOnlySpan<byte> from = random.Next(4) == 0 ? [] : key;
                    expected = KernelMapOps.GetNextKey(kernel, from, kernelNext);
                    actual = vm.GetNextKey(from, vmNext);
                    what = from.IsEmpty ? "first key" : "next key";
                    if (expected == MapResult.Ok) Assert.Equal(kernelNext, vmNext);
                    break;
            }
            if (expected != actual && keySize > 0)
                output.WriteLine($"kernel keys {string.Join(' ', Walk(k => KernelMapOps.GetNextKey(kernel, k.Item1, k.Item2), keySize))}; VM keys {string.Join(' ', Walk(k => vm.GetNextKey(k.Item1, k.Item2), keySize))}");
            trace.Add($"{step} {what} {Convert.ToHexString(key)} -> {expected}");
            Assert.True(expected == actual, $"step {step}: {what} of key {Convert.ToHexString(key)}: the kernel says {expected}, the VM {actual}");
            string tally = $"{what}={expected}";
            seen[tally] = seen.GetValueOrDefault(tally) + 1;
        }
        output.WriteLine(string.Join(", ", seen.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}")));
        if (type != MapType.BloomFilter)
            Assert.Contains(seen.Keys, t => t.StartsWith("update", StringComparison.Ordinal) && t.EndsWith("=Full", StringComparison.Ordinal));
        if (keySize > 0) Assert.Equal(Walk(k => KernelMapOps.GetNextKey(kernel, k.Item1, k.Item2), keySize), Walk(k => vm.GetNextKey(k.Item1, k.Item2), keySize));
    }

    // Array keys are indices; others random bytes derived from the chosen number (so keys repeat).
    private static void FillKey(byte[] key, int n)
    {
        if (key.Length == 0) return;
        Array.Clear(key);
        if (key.Length >= 4) BitConverter.TryWriteBytes(key, n);
        else key[0] = (byte)n;
    }

    // Per-CPU values: the padding of each stride is not stored, so compare what the kernel gives back (zeroes).
    private static void Pad(byte[] buffer, VmMap map)
    {
        for (int cpu = 0; cpu < map.CpuCount; cpu++)
            Array.Clear(buffer, cpu * map.ValueStride + map.ValueSize, map.ValueStride - map.ValueSize);
    }

    private static List<string> Walk(Func<(byte[], byte[]), MapResult> next, int keySize)
    {
        var keys = new List<string>();
        byte[] current = [], following = new byte[keySize];
        while (keys.Count < 10_000 && next((current, following)) == MapResult.Ok)
        {
            keys.Add(Convert.ToHexString(following));
            current = (byte[])following.Clone();
        }
        return keys;
    }
}

/// <summary>The LPM trie against the kernel's: overlapping IPv4/IPv6 prefixes, longest-prefix lookups, post-order walks.</summary>
public sealed class LpmTrieDifferentialTests
{
    [Theory]
    [InlineData(4, 8, 16)]
    [InlineData(16, 4, 32)]
    [InlineData(1, 8, 6)]
    public void RandomPrefixes_GiveTheKernelsResults(int dataSize, int valueSize, int maxEntries)
    {
        KernelAssert.RequireRoot();
        int keySize = 4 + dataSize, maxPrefix = dataSize * 8;
        using KernelMap kernel = KernelMap.Create(new MapCreateOptions
        {
            Type = MapType.LpmTrie, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = MapFlags.NoPrealloc, Name = "t_vm_lpm",
        });
        using VmMap vm = VmMapFactory.Create(new MapSpec { Name = "t_vm_lpm", Type = MapType.LpmTrie, KeySize = (uint)keySize, ValueSize = (uint)valueSize, MaxEntries = (uint)maxEntries, Flags = 1 });
        var random = new Random(dataSize * 1000 + maxEntries);
        // A few base addresses, so prefixes nest and split each other.
        byte[][] bases = [.. Enumerable.Range(0, 4).Select(_ => { var b = new byte[dataSize]; random.NextBytes(b); return b; })];
        byte[] key = new byte[keySize], value = new byte[valueSize], kernelOut = new byte[valueSize], vmOut = new byte[valueSize];
        byte[] kernelNext = new byte[keySize], vmNext = new byte[keySize];
        MapUpdateFlags[] flags = [MapUpdateFlags.Any, MapUpdateFlags.NoExist, MapUpdateFlags.Exist, (MapUpdateFlags)3];
        int hits = 0, full = 0;
        for (int step = 0; step < 4000; step++)
        {
            byte[] data = (byte[])bases[random.Next(bases.Length)].Clone();
            if (random.Next(3) == 0) data[random.Next(dataSize)] ^= (byte)(1 << random.Next(8));
            int op = random.Next(8);
            uint prefix = op < 2 ? (uint)maxPrefix : random.Next(20) == 0 ? (uint)maxPrefix + 1 : (uint)random.Next(maxPrefix + 1);
            BitConverter.TryWriteBytes(key, prefix);
            data.CopyTo(key, 4);
            MapResult expected, actual;
            string what;
            switch (op)
            {
                case 0 or 1:
                    expected = KernelMapOps.Lookup(kernel, key, kernelOut);
                    actual = vm.Lookup(key, vmOut);
                    what = "lookup";
                    if (expected == MapResult.Ok) { Assert.Equal(kernelOut, vmOut); hits++; }
                    break;
                case 2 or 3 or 4:
                    random.NextBytes(value);
                    MapUpdateFlags f = flags[random.Next(flags.Length)];
                    expected = KernelMapOps.Update(kernel, key, value, f);
                    actual = vm.Update(key, value, f);
                    what = $"update {f}";
                    if (expected == MapResult.NoSpace) full++;
                    break;
                case 5:
                    expected = KernelMapOps.Delete(kernel, key);
                    actual = vm.Delete(key);
                    what = "delete";
                    break;
                default:
                    ReadOnlySpan<byte> from = random.Next(5) == 0 ? [] : key;
                    expected = KernelMapOps.GetNextKey(kernel, from, kernelNext);
                    actual = vm.GetNextKey(from, vmNext);
                    what = "next key";
                    if (expected == MapResult.Ok) Assert.Equal(Convert.ToHexString(kernelNext), Convert.ToHexString(vmNext));
                    break;
            }
            Assert.True(expected == actual, $"step {step}: {what} of {Convert.ToHexString(key)}: the kernel says {expected}, the VM {actual}");
        }
        Assert.True(hits > 0 && full > 0, $"{hits} lookup hits, {full} ENOSPC: the sequence did not reach both");
    }
}
