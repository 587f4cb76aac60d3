using System.Buffers.Binary;
using Ebpf.Linux;
using Ebpf.Linux.Events;
using Ebpf.Testing;
using Ebpf.Vm.Maps;

namespace Ebpf.Vm.Tests;

/// <summary>
/// One clang-built object, loaded into the kernel and into the VM, run on the same inputs: every return value, and
/// afterwards every map (hash in iteration order, array, queue, ring buffer records, .bss), must be the same.
/// </summary>
public sealed class VmCollectionDifferentialTests
{
    [Fact]
    public void MapHelpers_GiveTheKernelsResults_OnTheSameObjectAndInputs()
    {
        KernelAssert.RequireRoot();
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/vm_counters.o"));
        // The kernel runs test runs of raw tracepoints on the calling CPU: stay on one, and give the VM the same.
        int cpu = CpuAffinity.Usable(Enumerable.Range(0, Math.Min(PossibleCpus.Count, 64))).First();
        Exception? failure = null;
        var pinned = new Thread(() =>
        {
            try
            {
                CpuAffinity.PinCurrentThread(cpu);
                using KernelCollection kernel = KernelAssert.RunOrSkip(() => KernelCollection.Load(spec));
                using VmCollection vm = VmCollection.Load(spec, new VmOptions { Cpu = cpu }, new VmMapOptions { CpuCount = PossibleCpus.Count });
                Compare(spec, kernel, vm);
            }
            catch (Exception e) { failure = e; }
        });
        pinned.Start();
        pinned.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }

    private static void Compare(CollectionSpec spec, KernelCollection kernel, VmCollection vm)
    {
        var random = new Random(1234);
        byte[] context = new byte[16], output = new byte[16];
        IProgram vmProgram = vm.GetProgram("count_keys");
        Assert.Equal(ProgramType.RawTracepoint, vmProgram.Type);
        for (int call = 0; call < 300; call++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(context, (ulong)random.Next(24));            // more keys than the hash holds
            BinaryPrimitives.WriteUInt64LittleEndian(context.AsSpan(8), (ulong)random.Next(1000));
            uint expected = kernel.Program("count_keys").TestRun(new TestRunOptions { Context = context, Repeat = 0, ContextOutSize = 0 }).ReturnValue;
            uint actual = vmProgram.TestRun(context, output, out _, out _);
            Assert.True(expected == actual, $"call {call} with key {BitConverter.ToUInt64(context)}: the kernel returned {expected}, the VM {actual}");
        }
        // The same control-plane code reads both backends.
        foreach (ILoadedCollection side in new ILoadedCollection[] { kernel, vm })
            Assert.Equal(16, side.GetMap<uint, ulong>("counts").Keys.Count());
        Assert.Equal(Hash(kernel), Hash(vm));
        IMap<uint, ulong> kernelTotals = kernel.GetMap<uint, ulong>("totals"), vmTotals = vm.GetMap<uint, ulong>("totals");
        for (uint slot = 0; slot < 4; slot++) Assert.Equal(kernelTotals.Lookup(slot), vmTotals.Lookup(slot));
        // The queue kept the last 8 keys, oldest first.
        var kernelRecent = new List<uint>();
        while (kernel.Map("recent").TryPop(out uint k)) kernelRecent.Add(k);
        var vmRecent = new List<uint>();
        byte[] value = new byte[4];
        while (vm.Map("recent").LookupAndDelete([], value) == MapResult.Ok) vmRecent.Add(BitConverter.ToUInt32(value));
        Assert.Equal(8, kernelRecent.Count);
        Assert.Equal(kernelRecent, vmRecent);
        // The ring buffer records, in order, until the 4096-byte ring filled (24 bytes a record with its header).
        var kernelEvents = new List<string>();
        using (var reader = new RingBufferReader(kernel.Map("events")))
            while (reader.TryRead(out RingBufferRecord record)) kernelEvents.Add(Convert.ToHexString(record.Data));
        var vmEvents = new List<string>();
        ((VmRingBuffer)vm.Map("events")).Consume(d => vmEvents.Add(Convert.ToHexString(d)));
        Assert.Equal(4096 / 24, kernelEvents.Count);
        Assert.Equal(kernelEvents, vmEvents);
        // .bss: the call counter; .rodata: the factor, frozen.
        string bss = spec.Maps.Single(m => m.Kind == MapKind.Bss).Name, rodata = spec.Maps.Single(m => m.Kind == MapKind.ReadOnlyData).Name;
        Assert.Equal(300UL, vm.GetMap<uint, ulong>(bss).Lookup(0));
        Assert.Equal(kernel.GetMap<uint, ulong>(bss).Lookup(0), vm.GetMap<uint, ulong>(bss).Lookup(0));
        Assert.Equal(MapResult.NotPermitted, vm.GetMap<uint, uint>(rodata).TryUpdate(0, 5));
    }

    private static List<string> Hash(ILoadedCollection c)
    {
        IMap<uint, ulong> counts = c.GetMap<uint, ulong>("counts");
        return [.. counts.Keys.Select(k => $"{k}={counts.Lookup(k)}")];
    }
}
