using Ebpf.Vm.Maps;

namespace Ebpf.Vm.Tests.Maps;

/// <summary>The VM ring buffer: the kernel's record protocol (reserve, submit, discard, wrap, full ring).</summary>
public sealed unsafe class RingBufferTests
{
    private static VmRingBuffer Create(uint size = 4096) =>
        (VmRingBuffer)VmMapFactory.Create(new MapSpec { Name = "rb", Type = MapType.RingBuffer, MaxEntries = size });

    [Fact]
    public void Records_ComeOutInOrder_DiscardedOnesSkipped_ReservedOnesBlockTheReader()
    {
        using VmRingBuffer rb = Create();
        byte* a = rb.Reserve(3, 0), b = rb.Reserve(5, 0), c = rb.Reserve(8, 0);
        new Span<byte>(a, 3).Fill(1);
        new Span<byte>(c, 8).Fill(3);
        rb.Commit(a, discard: false, 0);
        rb.Commit(c, discard: false, 0);
        Assert.Equal(16 + 16 + 16, rb.AvailableBytes);   // headers and 8-byte alignment
        Assert.True(rb.TryRead(out ReadOnlySpan<byte> first));
        Assert.Equal([1, 1, 1], first.ToArray());
        Assert.False(rb.TryRead(out _));                 // b is still reserved: c waits behind it
        rb.Commit(b, discard: true, 0);
        Assert.True(rb.TryRead(out ReadOnlySpan<byte> third));
        Assert.Equal(Enumerable.Repeat((byte)3, 8), third.ToArray());
        Assert.Equal(0, rb.AvailableBytes);
    }

    [Fact]
    public void AFullRing_RefusesReservations_UntilTheConsumerCatchesUp_AndRecordsWrap()
    {
        using VmRingBuffer rb = Create();
        int written = 0;
        // 1000-byte records: four fit (4 x 1008 < 4096), the fifth does not.
        for (; written < 10; written++)
        {
            byte[] data = new byte[1000];
            data.AsSpan().Fill((byte)(written + 1));
            if (rb.Output(data, 0) != 0) break;
        }
        Assert.Equal(4, written);
        Assert.Equal(-11, rb.Output(new byte[1000], 0));   // -EAGAIN
        // Read two, write two more: the sixth record wraps around the ring's end and still reads whole.
        for (int i = 0; i < 2; i++) Assert.True(rb.TryRead(out _));
        for (int i = 0; i < 2; i++)
        {
            byte[] data = new byte[1000];
            data.AsSpan().Fill((byte)(0x50 + i));
            Assert.Equal(0, rb.Output(data, 0));
        }
        var seen = new List<byte>();
        rb.Consume(d =>
        {
            byte[] bytes = d.ToArray();
            Assert.Equal(1000, bytes.Length);
            Assert.True(bytes.All(x => x == bytes[0]), "a record came out torn");
            seen.Add(bytes[0]);
        });
        Assert.Equal([3, 4, 0x50, 0x51], seen);
        Assert.Equal((ulong)4096, rb.Query(1));
        Assert.Equal(rb.Query(3), rb.Query(2));
    }

    [Fact]
    public void BadShapes_AreTheKernelsEinval()
    {
        Assert.Equal(MapResult.Invalid, Assert.Throws<MapException>(() => Create(5000)).Result);
        Assert.Equal(MapResult.Invalid, Assert.Throws<MapException>(() => VmMapFactory.Create(new MapSpec { Name = "rb", Type = MapType.RingBuffer, KeySize = 4, MaxEntries = 4096 })).Result);
        using VmRingBuffer rb = Create();
        Assert.True(rb.Reserve(16, 1) == null);         // flags must be 0
        Assert.True(rb.Reserve(8192, 0) == null);       // larger than the ring
        Assert.Equal(-22, rb.Output([1], 4));
        Assert.Equal(MapResult.NotSupported, rb.Lookup([], []));
    }
}
