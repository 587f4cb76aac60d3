using Ebpf.Linux.Events;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Events;

/// <summary>Readers disposed while blocked return promptly and leave no fd and no mapping behind.</summary>
[Collection(nameof(FdCountCollection))]
public sealed class EventLeakTests
{
    public EventLeakTests() => KernelAssert.RequireRoot();

    private static int Mappings() => File.ReadAllLines("/proc/self/maps").Count(l => l.Contains("anon_inode:bpf", StringComparison.Ordinal) || l.Contains("anon_inode:[perf_event]", StringComparison.Ordinal));

    /// <summary>Open fds, without the runtime's lazily opened assemblies (*.dll), which are not ours to free.</summary>
    private static int Fds() => Directory.GetFiles("/proc/self/fd").Count(f =>
    {
        try
        {
            return new FileInfo(f).LinkTarget?.EndsWith(".dll", StringComparison.Ordinal) != true;
        }
        catch (IOException)
        {
            return true;   // closed meanwhile (the enumeration's own fd)
        }
    });

    // The last wait's fds close when its thread-pool thread releases them, a moment after the awaited task ended on a
    // loaded machine: the counts must come back (boundedly); a leak never does, and the message names what stayed.
    private static void AssertReturnsTo(int maps, int fds, Dictionary<int, string> before)
    {
        Assert.Equal(maps, Wait.For(Mappings, m => m == maps));
        int now = Wait.For(Fds, n => n == fds);
        Assert.True(now == fds, $"{now} fds open, {fds} before; new: {string.Join(", ", FdCounter.Added(before))}");
    }

    [Fact]
    public async Task RingBufferReader_DisposedWhileBlocked_ReturnsPromptly_AndFreesEverything()
    {
        using var ring = KernelMap.Create(MapType.RingBuffer, 0, 0, 4096, "t_rb_leak");
        using (new RingBufferReader(ring)) { }   // warm up lazy statics
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int fds = Fds(), maps = Mappings();
        Dictionary<int, string> opened = FdCounter.Snapshot();
        for (int i = 0; i < 20; i++)
        {
            var reader = new RingBufferReader(ring);
            var sync = Task.Factory.StartNew(() => reader.Poll(_ => { }, Timeout.InfiniteTimeSpan), TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var stream = Task.Run(async () =>
            {
                int n = 0;
                await foreach (var _ in reader.ReadAllAsync<long>()) n++;
                return n;
            }, TestContext.Current.CancellationToken);
            await Task.Delay(i == 0 ? 200 : 10, TestContext.Current.CancellationToken);
            reader.Dispose();
            Assert.Same(sync, await Task.WhenAny(sync, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)));
            Assert.Equal(0, await sync);
            var finished = await Task.WhenAny(stream, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
            Assert.Same(stream, finished);
            Assert.Equal(0, await stream);
        }
        AssertReturnsTo(maps, fds, opened);
    }

    [Fact]
    public async Task PerfBufferReader_DisposedWhileBlocked_ReturnsPromptly_AndFreesEverything()
    {
        using var perf = KernelMap.Create(MapType.PerfEventArray, 4, 4, PossibleCpus.Count, "t_perf_leak");
        using (new PerfBufferReader(perf, new PerfBufferOptions { PagesPerCpu = 1 })) { }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int fds = Fds(), maps = Mappings();
        Dictionary<int, string> opened = FdCounter.Snapshot();
        for (int i = 0; i < 10; i++)
        {
            var reader = new PerfBufferReader(perf, new PerfBufferOptions { PagesPerCpu = 1 });
            var sync = Task.Factory.StartNew(() => reader.Poll((_, _) => { }, Timeout.InfiniteTimeSpan), TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var stream = Task.Run(async () =>
            {
                int n = 0;
                await foreach (var _ in reader.ReadAllAsync<long>()) n++;
                return n;
            }, TestContext.Current.CancellationToken);
            await Task.Delay(i == 0 ? 200 : 10, TestContext.Current.CancellationToken);
            reader.Dispose();
            Assert.Same(sync, await Task.WhenAny(sync, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)));
            Assert.Equal(0, await sync);
            Assert.Same(stream, await Task.WhenAny(stream, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)));
            Assert.Equal(0, await stream);
        }
        AssertReturnsTo(maps, fds, opened);
    }
}
