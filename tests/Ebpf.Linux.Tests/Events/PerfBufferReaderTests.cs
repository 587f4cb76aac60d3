using System.Diagnostics;
using System.Runtime.InteropServices;
using Ebpf.Linux.Events;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Events;

/// <summary>
/// A kernel producer (XDP test runs, pinned to one CPU after another) writes numbered samples into a perf event array
/// while a reader drains the per-CPU rings: every sample comes from the CPU it was produced on, in order, and the lost
/// counts the kernel reports equal the program's own count of failed outputs.
/// </summary>
public sealed class PerfBufferReaderTests
{
    private const int Chunk = 5_000;           // the producer moves to the next CPU every Chunk events
    private readonly ITestOutputHelper _output;

    public PerfBufferReaderTests(ITestOutputHelper output)
    {
        KernelAssert.RequireRoot();
        _output = output;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Event
    {
        public ulong Seq, Check;
    }

    private sealed class Tally(IReadOnlyList<int> cpus)
    {
        private readonly Dictionary<int, long> _last = cpus.ToDictionary(c => c, _ => -1L);
        public long Received, Bad, WrongCpu, OutOfOrder;

        public void Add(int cpu, ulong seq, ulong check)
        {
            if ((seq ^ (ulong)EventProducers.Marker) != check) Bad++;
            if (cpu != ExpectedCpu(cpus, (long)seq)) WrongCpu++;
            if ((long)seq <= _last[cpu]) OutOfOrder++;
            _last[cpu] = (long)seq;
            Received++;
        }
    }

    private static int ExpectedCpu(IReadOnlyList<int> cpus, long seq) => seq < 0 ? -1 : cpus[(int)(seq / Chunk % cpus.Count)];

    /// <summary>Runs <paramref name="count"/> events on a dedicated thread, Chunk at a time on each CPU in turn.</summary>
    private static Task Produce(KernelProgram prog, IReadOnlyList<int> cpus, long first, int count) =>
        Task.Factory.StartNew(() =>
        {
            for (long seq = first; seq < first + count;)
            {
                int n = (int)Math.Min(Chunk - seq % Chunk, first + count - seq);
                CpuPinning.PinCurrentThread(ExpectedCpu(cpus, seq));
                EventProducers.Run(prog, n, n);
                seq += n;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    [Theory]
    [InlineData(16)]
    [InlineData(40)]      // 8 + 4 + 44 = 56-byte records: they wrap around the ring's end
    public async Task Consume_ManyEvents_PerCpuInOrder_LostEqualsProgramDrops(int recordSize)
    {
        int n = TestScale.Events;
        using var counters = EventProducers.Counters();
        using var perf = KernelMap.Create(MapType.PerfEventArray, 4, 4, PossibleCpus.Count, "t_perf");
        using var prog = EventProducers.PerfProducer(perf, counters, recordSize);
        using var reader = new PerfBufferReader(perf, new PerfBufferOptions { PagesPerCpu = 16 });
        IReadOnlyList<int> cpus = reader.Cpus;
        var tally = new Tally(cpus);
        int expectedLength = ((recordSize + 4 + 7) & ~7) - 4;
        PerfRecordHandler handler = (cpu, data) =>
        {
            if (data.Length != expectedLength) tally.Bad++;
            tally.Add(cpu, MemoryMarshal.Read<ulong>(data), MemoryMarshal.Read<ulong>(data[8..]));
        };
        var sw = Stopwatch.StartNew();
        Task producer = Produce(prog, cpus, 0, n);
        while (!producer.IsCompleted) reader.Poll(handler, TimeSpan.FromMilliseconds(50));
        await producer;
        reader.Consume(handler);
        // The kernel reports drops with the next sample that fits: one more event on each CPU flushes them.
        long flushStart = (n + Chunk - 1) / Chunk * Chunk;
        for (int i = 0; i < cpus.Count; i++)
        {
            // Skip sequence numbers up to the next chunk of CPU i so the flush event is attributed to it.
            long target = flushStart + (long)i * Chunk;
            counters.Update(BitConverter.GetBytes(0u), [.. BitConverter.GetBytes((ulong)target), .. ReadRaw(counters)[8..]]);
            await Produce(prog, cpus, target, 1);
        }
        reader.Consume(handler);
        sw.Stop();

        var (_, written, dropped) = EventProducers.Read(counters);
        long produced = n + cpus.Count;
        _output.WriteLine($"{recordSize}-byte samples on CPUs {string.Join(",", cpus)}: produced {produced}, received {tally.Received}, " +
                          $"lost {reader.LostCount} (program: {dropped}) in {sw.ElapsedMilliseconds} ms");
        Assert.Equal(0, tally.Bad);
        Assert.Equal(0, tally.WrongCpu);
        Assert.Equal(0, tally.OutOfOrder);
        Assert.Equal(written, (ulong)tally.Received);
        Assert.Equal((ulong)produced, written + dropped);
        Assert.Equal((long)dropped, reader.LostCount);
        Assert.Equal(reader.LostCount, cpus.Sum(reader.GetLostCount));
        Assert.Equal(produced, tally.Received + reader.LostCount);
    }

    private static byte[] ReadRaw(KernelMap counters)
    {
        var value = new byte[24];
        Assert.True(counters.TryLookup(BitConverter.GetBytes(0u), value));
        return value;
    }

    [Fact]
    public async Task TryRead_ReturnsSamplesWithCpu_AndDoesNotAllocate()
    {
        using var counters = EventProducers.Counters();
        using var perf = KernelMap.Create(MapType.PerfEventArray, 4, 4, PossibleCpus.Count, "t_perf_try");
        using var prog = EventProducers.PerfProducer(perf, counters);
        using var reader = new PerfBufferReader(perf, new PerfBufferOptions { PagesPerCpu = 8 });
        Assert.False(reader.TryRead(out _));
        int cpu = reader.Cpus[^1];
        await Produce(prog, [cpu], 0, 1000);
        Assert.True(reader.TryRead(out PerfRecord first));   // warm up
        Assert.Equal(cpu, first.Cpu);
        Assert.Equal(0UL, first.Read<Event>().Seq);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong sum = 0;
        int count = 0, wrongCpu = 0;
        while (reader.TryRead(out PerfRecord r))
        {
            sum += MemoryMarshal.Read<ulong>(r.Data);
            if (r.Cpu != cpu) wrongCpu++;
            count++;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(999, count);
        Assert.Equal(0, wrongCpu);
        Assert.Equal(Enumerable.Range(1, 999).Sum(i => (long)i), (long)sum);
        Assert.Equal(0, reader.LostCount);
    }

    [Fact]
    public async Task ReadAllAsync_StreamsTypedSamples_ThenCancels()
    {
        const int N = 50_000;
        using var counters = EventProducers.Counters();
        using var perf = KernelMap.Create(MapType.PerfEventArray, 4, 4, PossibleCpus.Count, "t_perf_async");
        using var prog = EventProducers.PerfProducer(perf, counters);
        using var reader = new PerfBufferReader(perf);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        var tally = new Tally(reader.Cpus);
        Task producer = Produce(prog, reader.Cpus, 0, N);
        _ = producer.ContinueWith(_ => cts.Cancel(), TaskScheduler.Default);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (PerfSample<Event> s in reader.ReadAllAsync<Event>(cts.Token))
                tally.Add(s.Cpu, s.Value.Seq, s.Value.Check);
        });
        await producer;
        Assert.False(TestContext.Current.CancellationToken.IsCancellationRequested);
        while (reader.TryRead(out PerfSample<Event> rest)) tally.Add(rest.Cpu, rest.Value.Seq, rest.Value.Check);
        var (_, written, dropped) = EventProducers.Read(counters);
        Assert.Equal(0, tally.Bad);
        Assert.Equal(0, tally.WrongCpu);
        Assert.Equal(0, tally.OutOfOrder);
        Assert.Equal(written, (ulong)tally.Received);
        Assert.Equal((ulong)N, written + dropped);
    }

    [Fact]
    public void Dispose_RemovesRingsFromTheMap()
    {
        using var perf = KernelMap.Create(MapType.PerfEventArray, 4, 4, PossibleCpus.Count, "t_perf_entries");
        var value = new byte[4];
        using (var reader = new PerfBufferReader(perf, new PerfBufferOptions { Cpu = 0, Index = 1 }))
        {
            Assert.Equal([0], reader.Cpus);
            Assert.Throws<ArgumentOutOfRangeException>(() => reader.GetLostCount(1));
        }
        // A perf event array's entries cannot be looked up from user space: deleting a removed entry reports absence.
        Assert.False(perf.Delete(BitConverter.GetBytes(1)));
        Assert.Throws<ArgumentException>(() => new PerfBufferReader(perf, new PerfBufferOptions { PagesPerCpu = 3 }));
        using var ring = KernelMap.Create(MapType.RingBuffer, 0, 0, 4096, "t_perf_wrong");
        Assert.Throws<ArgumentException>(() => new PerfBufferReader(ring));
    }
}
