// The managed side of the ring buffer benchmark (docs/PERFORMANCE.md, "Events"), the counterpart of
// bench/libbpf-ringbuf/consumer.c: same object, same producer, same method. ROUNDS times: fill the ring with
// BPF_PROG_TEST_RUN (repeat = records that fit), then drain it, timing only the drain (wall clock and this thread's
// CPU time) and counting the bytes the drain allocated (GC.GetAllocatedBytesForCurrentThread).
// Usage: Ebpf.EventsBench OBJECT SIZE(16|256) ROUNDS [consume|tryread]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Ebpf;
using Ebpf.Linux;
using Ebpf.Linux.Events;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Ebpf.EventsBench OBJECT SIZE ROUNDS [consume|tryread]");
    return 2;
}
string path = args[0];
int size = int.Parse(args[1], CultureInfo.InvariantCulture), rounds = int.Parse(args[2], CultureInfo.InvariantCulture);
string api = args.Length > 3 ? args[3] : "consume";
using var collection = KernelCollection.Load(CollectionSpec.LoadFile(path));
KernelProgram prog = collection.Program($"produce{size}");
KernelMap ring = collection.Map("bench_rb");
using var reader = new RingBufferReader(ring);
int perFill = ring.MaxEntries / ((size + 8 + 7) & ~7);
var packet = new byte[64];
var output = new byte[64 + 4096];
RecordHandler handler = static data => Sink.Sum += MemoryMarshal.Read<ulong>(data);
long events = 0, wallTicks = 0, cpuNs = 0, allocated = 0;
// Warm-up rounds (not counted) until the JIT has promoted the drain loop to optimized code: at least 50 rounds and 1 s.
var warm = Stopwatch.StartNew();
for (int r = 0; r < 50 || warm.ElapsedMilliseconds < 1000; r++)
{
    prog.TestRun(packet, output, out _, out _, perFill);
    if (api == "tryread") { while (reader.TryRead(out RingBufferRecord record)) Sink.Sum += MemoryMarshal.Read<ulong>(record.Data); }
    else reader.Consume(handler);
}
Sink.Sum = 0;
for (int r = 0; r < rounds; r++)
{
    prog.TestRun(packet, output, out _, out _, perFill);
    long a0 = GC.GetAllocatedBytesForCurrentThread();
    long c0 = ThreadCpu.Nanoseconds();
    long w0 = Stopwatch.GetTimestamp();
    int n = 0;
    if (api == "tryread")
    {
        while (reader.TryRead(out RingBufferRecord record))
        {
            Sink.Sum += MemoryMarshal.Read<ulong>(record.Data);
            n++;
        }
    }
    else
    {
        n = reader.Consume(handler);
    }
    wallTicks += Stopwatch.GetTimestamp() - w0;
    cpuNs += ThreadCpu.Nanoseconds() - c0;
    allocated += GC.GetAllocatedBytesForCurrentThread() - a0;
    events += n;
}
long wallNs = (long)(wallTicks * (1e9 / Stopwatch.Frequency));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"consumer\":\"ebpf.net-{api}\",\"size\":{size},\"events\":{events},\"wall_ns\":{wallNs},\"cpu_ns\":{cpuNs},\"allocated_bytes\":{allocated},\"checksum\":{Sink.Sum}}}"));
return 0;

internal static class Sink
{
    public static ulong Sum;
}

internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;   // CLOCK_THREAD_CPUTIME_ID

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec value);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds, Nanoseconds;
    }

    public static long Nanoseconds()
    {
        _ = ClockGetTime(ClockThreadCpuTime, out Timespec t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}
