using Ebpf.Linux;
using Ebpf.Testing;
using Ebpf.Vm.Maps;

namespace Ebpf.Vm.Tests.Maps;

/// <summary>
/// LRU eviction against the kernel's: the same operations on the same CPU (this thread pinned to one) must evict the
/// same elements, so that after every step both maps hold the same keys in the same order.
/// </summary>
public sealed class LruDifferentialTests
{
    [Theory]
    [InlineData(MapType.LruHash, 0u, 16)]
    [InlineData(MapType.LruHash, 0u, 300)]
    [InlineData(MapType.LruHash, 2u, 16)]          // BPF_F_NO_COMMON_LRU
    [InlineData(MapType.LruPerCpuHash, 0u, 16)]
    [InlineData(MapType.LruPerCpuHash, 2u, 24)]
    public void Evictions_OnOneCpu_AreTheKernels(MapType type, uint flags, int maxEntries)
    {
        KernelAssert.RequireRoot();
        // A thread of its own, pinned to one CPU this process may use: the kernel's LRU and the VM's then work on
        // the same CPU's lists.
        int cpu = CpuAffinity.Usable(Enumerable.Range(0, Math.Min(PossibleCpus.Count, 64))).First();
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                CpuAffinity.PinCurrentThread(cpu);
                Run(type, flags, maxEntries, cpu);
            }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }

    private static void Run(MapType type, uint flags, int maxEntries, int cpu)
    {
        {
            const uint ZeroSeed = 1 << 6;
            using KernelMap kernel = KernelMap.Create(new MapCreateOptions
            {
                Type = type, KeySize = 4, ValueSize = 8, MaxEntries = maxEntries, Flags = (MapFlags)(flags | ZeroSeed), Name = "t_vm_lru",
            });
            using VmMap vm = VmMapFactory.Create(
                new MapSpec { Name = "t_vm_lru", Type = type, KeySize = 4, ValueSize = 8, MaxEntries = (uint)maxEntries, Flags = flags | ZeroSeed },
                new VmMapOptions { CpuCount = PossibleCpus.Count });
            Assert.Equal(cpu, Thread.GetCurrentProcessorId());
            var random = new Random(maxEntries * 17 + (int)flags + (int)type);
            byte[] key = new byte[4], value = new byte[vm.HostValueSize], kOut = new byte[vm.HostValueSize], vOut = new byte[vm.HostValueSize];
            MapUpdateFlags[] updateFlags = [MapUpdateFlags.Any, MapUpdateFlags.Any, MapUpdateFlags.NoExist, MapUpdateFlags.Exist];
            for (int step = 0; step < 2000; step++)
            {
                BitConverter.TryWriteBytes(key, random.Next(maxEntries * 3));
                MapResult expected, actual;
                int op = random.Next(10);
                if (op < 7)
                {
                    random.NextBytes(value);
                    Pad(value, vm);
                    MapUpdateFlags f = updateFlags[random.Next(updateFlags.Length)];
                    expected = KernelMapOps.Update(kernel, key, value, f);
                    actual = vm.Update(key, value, f);
                }
                else if (op < 9)
                {
                    expected = KernelMapOps.Lookup(kernel, key, kOut);
                    actual = vm.Lookup(key, vOut);
                    if (expected == MapResult.Ok) Assert.Equal(kOut, vOut);
                }
                else
                {
                    expected = KernelMapOps.Delete(kernel, key);
                    actual = vm.Delete(key);
                }
                Assert.True(expected == actual, $"step {step} (op {op}) on key {BitConverter.ToInt32(key)}: the kernel says {expected}, the VM {actual}");
                if (step % 25 == 0 || step == 1999)
                {
                    List<string> kernelKeys = Keys(k => KernelMapOps.GetNextKey(kernel, k.Item1, k.Item2)), vmKeys = Keys(k => vm.GetNextKey(k.Item1, k.Item2));
                    Assert.True(kernelKeys.SequenceEqual(vmKeys), $"after step {step}: the kernel holds {string.Join(' ', kernelKeys)}, the VM {string.Join(' ', vmKeys)}");
                }
            }
            Assert.Equal(cpu, Thread.GetCurrentProcessorId());
        }
    }

    private static void Pad(byte[] buffer, VmMap map)
    {
        for (int c = 0; c < map.CpuCount; c++)
            Array.Clear(buffer, (c * map.ValueStride) + map.ValueSize, map.ValueStride - map.ValueSize);
    }

    private static List<string> Keys(Func<(byte[], byte[]), MapResult> next)
    {
        var keys = new List<string>();
        byte[] current = [], following = new byte[4];
        while (keys.Count < 100_000 && next((current, following)) == MapResult.Ok)
        {
            keys.Add(BitConverter.ToInt32(following).ToString(System.Globalization.CultureInfo.InvariantCulture));
            current = (byte[])following.Clone();
        }
        return keys;
    }
}
