using System.Runtime.InteropServices;
using Ebpf.Linux.Events;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Events;

/// <summary>Two ring buffers, each with its own kernel producer, read through one epoll: every record names its ring.</summary>
public sealed class RingBufferSetTests
{
    public RingBufferSetTests() => KernelAssert.RequireRoot();

    [Fact]
    public async Task Poll_TwoRings_RecordsCarryTheirRing_InOrder_Exact()
    {
        int n = TestScale.Events / 5;
        using var countersA = EventProducers.Counters();
        using var countersB = EventProducers.Counters();
        using var ringA = KernelMap.Create(MapType.RingBuffer, 0, 0, 64 * 1024, "t_rbs_a");
        using var ringB = KernelMap.Create(MapType.RingBuffer, 0, 0, 64 * 1024, "t_rbs_b");
        using var progA = EventProducers.RingBufferProducer(ringA, countersA, 16);
        using var progB = EventProducers.RingBufferProducer(ringB, countersB, 24);
        using var set = new RingBufferSet();
        Assert.Equal(0, set.Add(ringA));
        Assert.Equal(1, set.Add(ringB));
        long[] received = new long[2], next = new long[2], gaps = new long[2];
        long bad = 0;
        RingRecordHandler handler = (ring, data) =>
        {
            if (data.Length != (ring == 0 ? 16 : 24)) bad++;
            long seq = (long)MemoryMarshal.Read<ulong>(data);
            if (seq < next[ring]) bad++;
            gaps[ring] += seq - next[ring];
            next[ring] = seq + 1;
            received[ring]++;
        };
        var a = Task.Run(() => EventProducers.Run(progA, n, 10_000), TestContext.Current.CancellationToken);
        var b = Task.Run(() => EventProducers.Run(progB, n / 2, 10_000), TestContext.Current.CancellationToken);
        while (!a.IsCompleted || !b.IsCompleted) set.Poll(handler, TimeSpan.FromMilliseconds(50));
        await Task.WhenAll(a, b);
        set.Consume(handler);

        Assert.Equal(0, bad);
        foreach (var (i, counters, produced) in new[] { (0, countersA, n), (1, countersB, n / 2) })
        {
            var (p, written, dropped) = EventProducers.Read(counters);
            Assert.Equal((ulong)produced, p);
            Assert.Equal(written, (ulong)received[i]);
            Assert.Equal((long)dropped, gaps[i] + (produced - next[i]));
            Assert.Equal(0, set[i].AvailableBytes);
        }
    }

    [Fact]
    public async Task ReadAllAsync_NamesTheRing_AndCancelsPromptly()
    {
        using var counters = EventProducers.Counters();
        using var ringA = KernelMap.Create(MapType.RingBuffer, 0, 0, 4096, "t_rbs_c");
        using var ringB = KernelMap.Create(MapType.RingBuffer, 0, 0, 4096, "t_rbs_d");
        using var progB = EventProducers.RingBufferProducer(ringB, counters, 16);
        using var set = new RingBufferSet();
        set.Add(ringA);
        set.Add(ringB);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var seen = new List<RingSample<ulong>>();
        var reading = Task.Run(async () =>
        {
            await foreach (var s in set.ReadAllAsync<ulong>(cts.Token))
            {
                seen.Add(s);
                if (seen.Count == 3) await cts.CancelAsync();
            }
        }, TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        EventProducers.Run(progB, 3);
        var finished = await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Same(reading, finished);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Equal([new(1, 0UL), new(1, 1UL), new(1, 2UL)], seen);
    }
}
