using System.Diagnostics;
using System.Runtime.InteropServices;
using Ebpf.Linux.Events;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Events;

/// <summary>A kernel producer (XDP test runs) writes numbered events into a ring buffer while a reader drains them.</summary>
public sealed class RingBufferReaderTests
{
    private readonly ITestOutputHelper _output;

    public RingBufferReaderTests(ITestOutputHelper output)
    {
        KernelAssert.RequireRoot();
        _output = output;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Event
    {
        public ulong Seq, Check;
    }

    private sealed class Tally
    {
        public long Received, Gaps, Expected, Bad;

        public void Add(ulong seq, ulong check)
        {
            if ((seq ^ (ulong)EventProducers.Marker) != check || (long)seq < Expected) Bad++;
            Gaps += (long)seq - Expected;
            Expected = (long)seq + 1;
            Received++;
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(256)]
    public async Task Consume_MillionEvents_InOrder_ProducedIsReceivedPlusDropped(int recordSize)
    {
        int N = TestScale.Events;
        using var counters = EventProducers.Counters();
        using var ring = KernelMap.Create(MapType.RingBuffer, 0, 0, 256 * 1024, "t_rb");
        using var prog = EventProducers.RingBufferProducer(ring, counters, recordSize);
        using var reader = new RingBufferReader(ring);
        var tally = new Tally();
        RecordHandler handler = data =>
        {
            if (data.Length != recordSize) tally.Bad++;
            tally.Add(MemoryMarshal.Read<ulong>(data), MemoryMarshal.Read<ulong>(data[8..]));
        };
        var sw = Stopwatch.StartNew();
        var producer = Task.Run(() => EventProducers.Run(prog, N), TestContext.Current.CancellationToken);
        while (!producer.IsCompleted) reader.Poll(handler, TimeSpan.FromMilliseconds(50));
        await producer;
        reader.Consume(handler);
        sw.Stop();

        var (produced, written, dropped) = EventProducers.Read(counters);
        _output.WriteLine($"{recordSize}-byte records: produced {produced}, received {tally.Received}, dropped {dropped} in {sw.ElapsedMilliseconds} ms");
        Assert.Equal(0, tally.Bad);
        Assert.Equal((ulong)N, produced);
        Assert.Equal(written, (ulong)tally.Received);
        Assert.Equal(produced, (ulong)tally.Received + dropped);
        Assert.Equal((long)dropped, tally.Gaps + (N - tally.Expected));   // every missing number is one the kernel refused
        Assert.Equal(0, reader.AvailableBytes);
    }

    [Fact]
    public void TryRead_ReturnsRecordsInPlace_ThenFalse()
    {
        using var counters = EventProducers.Counters();
        using var ring = KernelMap.Create(MapType.RingBuffer, 0, 0, 4096, "t_rb_try");
        using var prog = EventProducers.RingBufferProducer(ring, counters, 20);
        using var reader = new RingBufferReader(ring);
        Assert.False(reader.TryRead(out _));
        EventProducers.Run(prog, 3);
        for (ulong i = 0; i < 3; i++)
        {
            Assert.True(reader.TryRead(out RingBufferRecord record));
            Assert.Equal(20, record.Data.Length);
            Assert.Equal(i, record.Read<Event>().Seq);
        }
        Assert.False(reader.TryRead(out _));
        Assert.Equal(0, reader.AvailableBytes);
    }

    [Fact]
    public void TryRead_DoesNotAllocate()
    {
        using var counters = EventProducers.Counters();
        using var ring = KernelMap.Create(MapType.RingBuffer, 0, 0, 64 * 1024, "t_rb_alloc");
        using var prog = EventProducers.RingBufferProducer(ring, counters, 16);
        using var reader = new RingBufferReader(ring);
        EventProducers.Run(prog, 1000);
        Assert.True(reader.TryRead(out _));   // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong sum = 0;
        int n = 0;
        while (reader.TryRead(out RingBufferRecord r))
        {
            sum += MemoryMarshal.Read<ulong>(r.Data);
            n++;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(999, n);
        Assert.Equal(Enumerable.Range(1, 999).Sum(i => (long)i), (long)sum);
    }

    [Fact]
    public async Task ReadAllAsync_StreamsTypedRecords_WhileProducerRuns()
    {
        const int N = 200_000;
        using var counters = EventProducers.Counters();
        using var ring = KernelMap.Create(MapType.RingBuffer, 0, 0, 1024 * 1024, "t_rb_async");
        using var prog = EventProducers.RingBufferProducer(ring, counters, 16);
        using var reader = new RingBufferReader(ring);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        var producer = Task.Run(() => EventProducers.Run(prog, N, 10_000), TestContext.Current.CancellationToken);
        var tally = new Tally();
        // Once the producer is done every record is committed: stop the stream then.
        _ = producer.ContinueWith(_ => cts.Cancel(), TaskScheduler.Default);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Event e in reader.ReadAllAsync<Event>(cts.Token))
                tally.Add(e.Seq, e.Check);
        });
        await producer;
        Assert.False(TestContext.Current.CancellationToken.IsCancellationRequested);
        // A cancellation that wakes a wait wins over records committed meanwhile: they stay in the ring for the next read.
        while (reader.TryRead(out Event rest)) tally.Add(rest.Seq, rest.Check);
        var (produced, written, dropped) = EventProducers.Read(counters);
        Assert.Equal(0, tally.Bad);
        Assert.Equal((ulong)N, produced);
        Assert.Equal(written, (ulong)tally.Received);
        Assert.Equal(produced, written + dropped);
    }

    [Fact]
    public async Task ReadAllAsync_Cancelled_WhileWaiting_EndsPromptly()
    {
        using var ring = KernelMap.Create(MapType.RingBuffer, 0, 0, 4096, "t_rb_cancel");
        using var reader = new RingBufferReader(ring);
        using var cts = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            await foreach (var _ in reader.ReadAllAsync<long>(cts.Token)) { }
        }, TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(reading.IsCompleted);
        cts.Cancel();
        var finished = await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.Same(reading, finished);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        // The reader still works after a cancelled wait (the wake was drained).
        Assert.False(reader.WaitForData(TimeSpan.FromMilliseconds(10)));
    }
}
