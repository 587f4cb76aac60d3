using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

[CollectionDefinition(nameof(FdCountCollection), DisableParallelization = true)]
public sealed class FdCountCollection;

/// <summary>Creating and disposing many objects leaves the process's fd count where it started.</summary>
[Collection(nameof(FdCountCollection))]
public sealed class LeakTests
{
    public LeakTests() => KernelAssert.RequireRoot();

    [Fact]
    public void ManyObjects_CreatedAndDisposed_LeaveNoFds()
    {
        Churn(5);   // warm up: lazy statics, the feature cache, the runtime's own fds
        Settle();   // other tests' undisposed pipes (bpftool, clang) close in finalizers: not while we count
        int before = FdCounter.Count();
        int bpfBefore = FdCounter.CountBpf();
        Churn(200);
        Assert.Equal(bpfBefore, FdCounter.CountBpf());   // nothing of ours relies on finalizers
        Settle();
        Assert.Equal(before, FdCounter.Count());
    }

    /// <summary>
    /// Loads and disposes a whole object 1,000 times: the process's fds return to where they were, and none of the
    /// programs, maps or BTF objects the loads created is left in the kernel (checked by id: other processes on the
    /// machine may create objects meanwhile, so counting all of the kernel's objects would not be exact).
    /// </summary>
    [Fact]
    public void ThousandCollections_LoadedAndDisposed_LeaveNoFdsNorKernelObjects()
    {
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject("xdp_drop_udp53.o"));
        using (KernelCollection.Load(spec)) { }   // warm up
        Settle();
        int before = FdCounter.Count();
        var programs = new HashSet<uint>();
        var maps = new HashSet<uint>();
        var btfs = new HashSet<uint>();
        for (int i = 0; i < 1000; i++)
        {
            using KernelCollection collection = KernelCollection.Load(spec);
            foreach (KernelProgram p in collection.Programs.Values)
            {
                ProgramInfo info = p.Info();
                programs.Add(info.Id);
                if (info.BtfId != 0) btfs.Add(info.BtfId);
            }
            foreach (KernelMap m in collection.Maps.Values) maps.Add(m.Id);
        }
        Assert.Equal(1000 * spec.Programs.Count(), programs.Count);
        Assert.Equal(1000 * spec.Maps.Count(), maps.Count);
        Settle();
        Assert.Equal(before, FdCounter.Count());
        // A program drops its maps (and BTF) in a deferred kernel work item after its last fd closed: wait for that,
        // boundedly; ids are allocated cyclically, so none of ours can be someone else's meanwhile.
        Assert.Empty(Eventually(() => programs.Intersect(KernelObjects.ProgramIds())));
        Assert.Empty(Eventually(() => maps.Intersect(KernelObjects.MapIds())));
        Assert.Empty(Eventually(() => btfs.Intersect(KernelObjects.BtfIds())));
    }

    private static uint[] Eventually(Func<IEnumerable<uint>> left) => Wait.For(() => (uint[])[.. left()], r => r.Length == 0);

    [Fact]
    public void Failures_LeaveNoFds()
    {
        Settle();
        int bpfBefore = FdCounter.CountBpf();
        int before = FdCounter.Count();
        for (int i = 0; i < 50; i++)
        {
            Assert.ThrowsAny<Exception>(() => KernelMap.Create(MapType.Hash, 0, 4, 1, "t_fail"));
            Assert.Throws<BpfVerifierException>(() => ProgramLoader.Load(new ProgramLoadOptions
            {
                Type = ProgramType.SocketFilter, Instructions = new[] { Asm.Instruction.Exit() },
            }));
            Assert.Throws<FileNotFoundException>(() => BpfFs.Open("/sys/fs/bpf/ebpf-net-test-does-not-exist"));
        }
        Assert.Equal(bpfBefore, FdCounter.CountBpf());
        Settle();
        Assert.Equal(before, FdCounter.Count());
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private static void Churn(int rounds)
    {
        using var dir = new BpfFsDirectory();
        for (int i = 0; i < rounds; i++)
        {
            using var map = KernelMap.Create(MapType.Array, 4, 8, 4, "t_leak", MapFlags.Mmapable);
            using (var memory = map.MapMemory()) memory.Get<ulong>(0) = (ulong)i;
            using var prog = TestPrograms.Return(ProgramType.Xdp, 2, "t_leak");
            _ = prog.Info();
            _ = map.Info();
            prog.TestRun(new TestRunOptions { Data = new byte[64] });
            map.Pin(dir[$"m{i}"]);
            using (var reopened = KernelMap.OpenPinned(dir[$"m{i}"])) Assert.True(reopened.TryLookup(0u, out ulong _));
            BpfFs.Unpin(dir[$"m{i}"]);
            using var dup = map.Handle.Duplicate();
            using var btf = KernelBtf.Load(Ebpf.Linux.Features.ProbeBtf.IntOnly());
            foreach (var _ in map.Keys<uint>()) { }
        }
    }
}
