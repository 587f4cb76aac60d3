using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links.Tracing;

/// <summary>Attaching and disposing every tracing link kind leaves no fd (BPF or perf event) and no link behind.</summary>
[Collection(nameof(FdCountCollection))]
public sealed class TracingLeakTests
{
    public TracingLeakTests() => KernelAssert.RequireRoot();

    [Fact]
    public void ProbeLinks_AttachedAndDisposed_LeaveNoFdsOrLinks()
    {
        using var obj = TraceObject.Load("trace_probes");
        Churn(obj, 1);                                            // warm up: lazy statics, the feature cache
        Settle();
        int before = FdCounter.Count();
        var linksBefore = KernelObjects.LinkIds().ToHashSet();
        Churn(obj, 10);
        Settle();
        Assert.Equal(before, FdCounter.Count());
        Assert.DoesNotContain(KernelObjects.LinkIds().Except(linksBefore), id => OwnedBy(id, obj));
    }

    [Fact]
    public void IteratorStreams_ReadAndDisposed_LeaveNoFds()
    {
        using var obj = TraceObject.Load("trace_iter");
        using var link = Assert.IsType<IteratorLink>(KernelAssert.RunOrSkip(() => obj.AutoAttach("dump_tasks")));
        link.ReadAllText();
        Settle();
        int before = FdCounter.Count();
        for (int i = 0; i < 10; i++) link.ReadAllText();
        Settle();
        Assert.Equal(before, FdCounter.Count());
    }

    private static void Churn(TraceObject obj, int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            foreach (string program in (string[])["tp_getppid", "raw_sys_enter", "uprobe_getpid", "uret_getpid"])
                obj.AutoAttach(program).Dispose();
            PerfEventLink.ForceIoctlAttach = true;
            try { obj.AutoAttach("tp_getppid").Dispose(); }
            finally { PerfEventLink.ForceIoctlAttach = false; }
            PerfEventSampleLink.Attach(obj.Program("on_cpu_clock"), frequency: 10).Dispose();
        }
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private static bool OwnedBy(uint linkId, TraceObject obj)
    {
        try
        {
            using Link l = Link.OpenById(linkId);
            return obj.Collection.Programs.Values.Any(p => p.Id == l.Info().ProgramId);
        }
        catch (BpfException) { return false; }
    }
}
