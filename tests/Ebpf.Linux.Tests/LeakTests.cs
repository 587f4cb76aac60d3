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
            using var btf = KernelBtf.Load(KernelBtf.IntOnly());
            foreach (var _ in map.Keys<uint>()) { }
        }
    }
}
