using Ebpf.Linux.Events;
using Ebpf.Linux.Features;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Events;

/// <summary>
/// User space writes numbered samples into a user ring buffer; an XDP program (run by BPF_PROG_TEST_RUN) drains them
/// with bpf_user_ringbuf_drain and counts and sums what its callback read: the kernel's totals equal what was written.
/// </summary>
public sealed class UserRingBufferWriterTests
{
    public UserRingBufferWriterTests()
    {
        KernelAssert.RequireRoot();
        KernelAssert.RunOrSkip(() => KernelFeatures.MapType(MapType.UserRingBuffer).ThrowIfMissing());
    }

    private static (ulong Count, ulong Sum, ulong Bad, long Drained) Read(KernelMap totals)
    {
        var v = new byte[32];
        Assert.True(totals.TryLookup(BitConverter.GetBytes(0u), v));
        return (BitConverter.ToUInt64(v, 0), BitConverter.ToUInt64(v, 8), BitConverter.ToUInt64(v, 16), BitConverter.ToInt64(v, 24));
    }

    /// <summary>bpf/tests/user_ringbuf_drain.c: `drain` passes each sample to a callback that counts and sums it.</summary>
    private static KernelCollection Load() =>
        KernelCollection.Load(CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/user_ringbuf_drain.o")));

    [Fact]
    public void TryWrite_ThenDrain_KernelCountsAndSumsEverySample()
    {
        using var collection = Load();
        KernelMap ring = collection.Map("commands"), totals = collection.Map("totals");
        KernelProgram prog = collection.Program("drain");
        using var writer = new UserRingBufferWriter(ring);
        Assert.Equal(16 * 1024, writer.FreeBytes);
        ulong written = 0, sum = 0;
        for (ulong round = 0; round < 20; round++)
        {
            // Fill the ring (16-byte samples take 24 bytes), then let the program drain it.
            ulong value = 0;
            while (writer.TryWriteValue((1000 + written, 0UL)))   // 16 bytes: { value, pad }
            {
                sum += 1000 + written;
                written++;
                value++;
            }
            Assert.True(value > 600, $"only {value} samples fit");
            Assert.True(writer.FreeBytes < 24);
            EventProducers.Run(prog, 1);
            Assert.Equal(16 * 1024, writer.FreeBytes);
        }
        var (count, kernelSum, bad, drained) = Read(totals);
        Assert.Equal(written, count);
        Assert.Equal(sum, kernelSum);
        Assert.Equal(0UL, bad);
        Assert.Equal((long)written, drained);
    }

    [Fact]
    public void Reserve_SubmitAndDiscard_DrainSeesOnlySubmitted_AndStopsAtBusy()
    {
        using var collection = Load();
        KernelMap ring = collection.Map("commands"), totals = collection.Map("totals");
        KernelProgram prog = collection.Program("drain");
        using var writer = new UserRingBufferWriter(ring);
        Assert.True(writer.TryReserve(8, out UserRingBufferSample a));
        BitConverter.TryWriteBytes(a.Data, 5UL);
        Assert.True(writer.TryReserve(8, out UserRingBufferSample b));
        BitConverter.TryWriteBytes(b.Data, 7UL);
        Assert.True(writer.TryReserve(12, out UserRingBufferSample c));
        BitConverter.TryWriteBytes(c.Data, 11UL);
        writer.Submit(a);
        writer.Discard(b);
        EventProducers.Run(prog, 1);                   // c is still reserved: the drain stops there
        Assert.Equal((1UL, 5UL, 0UL, 1L), Read(totals));
        writer.Submit(c);
        bool twice = false;
        try
        {
            writer.Submit(c);
        }
        catch (InvalidOperationException)
        {
            twice = true;
        }
        Assert.True(twice, "a second submit of the same sample must fail");
        EventProducers.Run(prog, 1);
        Assert.Equal((2UL, 16UL, 0UL, 2L), Read(totals));
        Assert.Equal(16 * 1024, writer.FreeBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.TryReserve(16 * 1024, out _));
        using var wrong = KernelMap.Create(MapType.RingBuffer, 0, 0, 4096, "t_urb_wrong");
        Assert.Throws<ArgumentException>(() => new UserRingBufferWriter(wrong));
    }
}
