using Ebpf.Linux.Events;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Events;

/// <summary>Readers disposed while blocked return promptly and leave no fd and no mapping behind.</summary>
[Collection(nameof(FdCountCollection))]
public sealed class EventLeakTests
{
    public EventLeakTests() => KernelAssert.RequireRoot();

    private static int Mappings() => File.ReadAllLines("/proc/self/maps").Count(l => l.Contains("bpf", StringComparison.Ordinal));

    [Fact]
    public async Task RingBufferReader_DisposedWhileBlocked_ReturnsPromptly_AndFreesEverything()
    {
        using var ring = KernelMap.Create(MapType.RingBuffer, 0, 0, 4096, "t_rb_leak");
        using (new RingBufferReader(ring)) { }   // warm up lazy statics
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Dictionary<int, string> fds = FdCounter.Snapshot();
        int maps = Mappings();
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
        Assert.Equal(maps, Mappings());
        // The reader's fds (epoll, eventfd) are anonymous inodes; files the runtime opens meanwhile are not its leak.
        List<string> leaked = FdCounter.Added(fds, FdCounter.IsAnonymousInode);
        Assert.True(leaked.Count == 0, $"fds left open: {string.Join(", ", leaked)}");
    }
}
