using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links.Tracing;

/// <summary>A perf_event program on CPU-clock samples of every CPU.</summary>
public sealed class PerfEventSampleLinkTests
{
    public PerfEventSampleLinkTests() => KernelAssert.RequireRoot();

    [Fact]
    public void CpuClock_CountsSamples_WhileBurningCpu_AndStopsAfterDispose()
    {
        using var obj = TraceObject.Load("trace_probes");
        ulong sink = 0;
        using (var link = PerfEventSampleLink.Attach(obj.Program("on_cpu_clock"), frequency: 1000))
        {
            Assert.Equal(PerfEventSampleLink.OnlineCpus().Length, link.Links.Count);
            // Bounded work: at most 200 chunks; sampling at 1 kHz sees far fewer than that many chunks pass.
            for (int chunk = 0; chunk < 200 && obj.CountKey(TraceObject.PerfEvent) < 3; chunk++)
                sink += Burn(5_000_000);
            Assert.True(obj.CountKey(TraceObject.PerfEvent) >= 3, $"{obj.CountKey(TraceObject.PerfEvent)} samples (sink {sink})");
        }
        // A sample already running on another CPU when the events closed may still land: let it, then expect silence.
        sink += Burn(5_000_000);
        ulong after = obj.CountKey(TraceObject.PerfEvent);
        sink += Burn(20_000_000);
        Assert.Equal(after, obj.CountKey(TraceObject.PerfEvent));
        Assert.NotEqual(0UL, sink | 1);
    }

    [Fact]
    public void Attach_NonPerfEventProgram_IsArgumentException()
    {
        using KernelProgram xdp = TestPrograms.Return(ProgramType.Xdp, 2);
        Assert.Throws<ArgumentException>(() => PerfEventSampleLink.Attach(xdp));
    }

    private static ulong Burn(int iterations)
    {
        ulong x = 0x9E3779B97F4A7C15;
        for (int i = 0; i < iterations; i++) x = (x ^ (x >> 29)) * 0xBF58476D1CE4E5B9 + (ulong)i;
        return x;
    }
}
