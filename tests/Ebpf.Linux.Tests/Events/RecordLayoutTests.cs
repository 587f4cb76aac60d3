using System.Runtime.InteropServices;
using System.Text;
using Ebpf.Btf;
using Ebpf.Linux.Events;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Events;

/// <summary>
/// C# record structs checked against BTF structs (bpf/tests/events.c's <c>struct event</c>): a match reads real events; a mismatch fails at start-up naming the field and both offsets.
/// </summary>
public sealed class RecordLayoutTests
{
    [StructLayout(LayoutKind.Explicit, Size = 32)]
    private struct SwappedOffsets
    {
        [FieldOffset(8)] public uint Magic;   // the program has cpu at 8, magic at 12
        [FieldOffset(12)] public uint Cpu;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TooSmall
    {
        public uint Pid, Tgid;
    }

    [StructLayout(LayoutKind.Explicit, Size = 32)]
    private struct UnknownField
    {
        [FieldOffset(0)] public ulong Seq;
        [FieldOffset(8)] public ulong Uid;
    }

    private static BtfSpec ObjectBtf() => CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/events.o")).Btf!;

    [Fact]
    public void FromStruct_MatchingType_MapsEveryField()
    {
        var layout = RecordLayout<Event>.FromStruct(ObjectBtf(), "event");
        Assert.Equal(32, layout.Size);
        Assert.Equal(["seq@0:8", "cpu@8:4", "magic@12:4", "comm@16:16"], layout.Fields.Select(f => $"{f.BtfName}@{f.Offset}:{f.Size}"));
    }

    [Fact]
    public void FromStruct_Mismatches_NameTheFieldAndBothValues()
    {
        BtfSpec btf = ObjectBtf();
        var swapped = Assert.Throws<RecordLayoutMismatchException>(() => RecordLayout<SwappedOffsets>.FromStruct(btf, "event"));
        Assert.Equal("Magic", swapped.Field);
        Assert.Equal((12L, 8L), (swapped.BtfValue, swapped.ClrValue));
        Assert.Contains("offset of 'magic' is 12 in BTF but 8", swapped.Message, StringComparison.Ordinal);

        var size = Assert.Throws<RecordLayoutMismatchException>(() => RecordLayout<TooSmall>.FromStruct(btf, "event"));
        Assert.Equal(("size", 32L, 8L), (size.Field, size.BtfValue, size.ClrValue));

        var unknown = Assert.Throws<RecordLayoutMismatchException>(() => RecordLayout<UnknownField>.FromStruct(btf, "event"));
        Assert.Equal("Uid", unknown.Field);
        Assert.Contains("seq, cpu, magic, comm", unknown.Message, StringComparison.Ordinal);

        Assert.Throws<KeyNotFoundException>(() => RecordLayout<Event>.FromStruct(btf, "no_such_event"));
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct Event
    {
        public ulong Seq;
        public uint Cpu;
        public uint Magic;
        public fixed byte Comm[16];
    }

    [Fact]
    public async Task MapBtf_Layout_FromTheLoadedMaps_ReadsRealEvents()
    {
        KernelAssert.RequireRoot();
        using var collection = KernelCollection.Load(CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/events.o")));
        KernelMap ring = collection.Map("events_rb");
        RecordLayout<Event> layout = MapBtf.Layout<Event>(ring, "event");
        Assert.Equal(32, layout.Size);
        Assert.Equal(layout.Fields, MapBtf.Layout<Event>(collection.Map("last_event")).Fields);   // the array's value type
        Assert.Throws<InvalidOperationException>(() => MapBtf.Layout<Event>(ring));                  // a ring buffer has none
        Assert.Throws<RecordLayoutMismatchException>(() => MapBtf.Layout<TooSmall>(ring, "event"));
        using var reader = new RingBufferReader(ring);
        EventProducers.Run(collection.Program("emit_rb"), 5);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var seen = new List<Event>();
        await foreach (Event e in reader.ReadAllAsync(layout, cts.Token))
        {
            seen.Add(e);
            if (seen.Count == 5) break;
        }
        Assert.Equal([0UL, 1, 2, 3, 4], seen.Select(e => e.Seq));
        Assert.All(seen, e => Assert.Equal(0xeb9fu, e.Magic));
        Assert.Equal("ebpf-net-events", CommOf(seen[0]));
    }

    private static unsafe string CommOf(Event e)
    {
        var span = new ReadOnlySpan<byte>(e.Comm, 16);
        return Encoding.ASCII.GetString(span[..span.IndexOf((byte)0)]);
    }
}
