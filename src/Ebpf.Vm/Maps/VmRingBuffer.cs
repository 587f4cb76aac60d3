using System.Buffers.Binary;
using System.Numerics;

namespace Ebpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_RINGBUF as kernel/bpf/ringbuf.c lays it out: max_entries bytes (a power of two, a multiple of the
/// page size) of 8-byte-aligned records, each behind an 8-byte header whose length carries the busy and discard
/// bits, between a consumer and a producer position. Programs reserve, then submit or discard (or output in one
/// step); the host consumes committed records in order with <see cref="TryRead"/> / <see cref="Consume"/>, as the
/// kernel backend's reader does. A reservation that would run ahead of the consumer by a whole ring fails.
/// </summary>
/// <remarks>
/// The kernel maps the data pages twice so a record that wraps is contiguous; here the data block is twice the ring
/// and a submit copies the part past the end back to the start, which the consumer sees the same way.
/// </remarks>
public sealed unsafe class VmRingBuffer : VmMap
{
    /// <summary>BPF_RINGBUF_BUSY_BIT: the record is reserved, not yet submitted.</summary>
    internal const uint BusyBit = 1u << 31;
    /// <summary>BPF_RINGBUF_DISCARD_BIT: the record was discarded; consumers skip it.</summary>
    internal const uint DiscardBit = 1u << 30;
    /// <summary>BPF_RINGBUF_HDR_SZ.</summary>
    internal const int HeaderSize = 8;

    private readonly Lock _producer = new();
    private readonly NativeBlock _data;   // 2 x size
    private readonly long _mask;
    private long _consumerPos, _producerPos, _pendingPos;   // _pendingPos: the oldest record still reserved (under _producer)
    private readonly SemaphoreSlim _signal = new(0);

    internal VmRingBuffer(MapSpec spec, VmMapOptions options) : base(spec, options)
    {
        if (spec.KeySize != 0 || spec.ValueSize != 0) throw VmMapFactory.Invalid(spec, "ring buffers have no keys or values (key_size and value_size must be 0)");
        if (spec.MaxEntries < 4096 || !BitOperations.IsPow2(spec.MaxEntries) || spec.MaxEntries % 4096 != 0)
            throw VmMapFactory.Invalid(spec, $"max_entries {spec.MaxEntries} must be a power of two and a multiple of the 4096-byte page");
        Size = (int)spec.MaxEntries;
        _mask = Size - 1;
        _data = new NativeBlock(2L * Size);
    }

    /// <summary>Bytes of the ring.</summary>
    public int Size { get; }

    /// <summary>Bytes produced and not yet consumed (BPF_RB_AVAIL_DATA).</summary>
    public long AvailableBytes => Volatile.Read(ref _producerPos) - Volatile.Read(ref _consumerPos);

    /// <summary>The next committed record's data, or false when none is ready (the next one is still reserved).</summary>
    /// <remarks>The span is valid until the next call; discarded records are skipped.</remarks>
    public bool TryRead(out ReadOnlySpan<byte> data)
    {
        while (true)
        {
            long consumer = Volatile.Read(ref _consumerPos), producer = Volatile.Read(ref _producerPos);
            if (consumer >= producer)
            {
                data = default;
                return false;
            }
            byte* header = _data.Pointer + (consumer & _mask);
            uint length = Volatile.Read(ref *(uint*)header);
            if ((length & BusyBit) != 0)
            {
                data = default;
                return false;
            }
            int size = (int)(length & ~(BusyBit | DiscardBit));
            Volatile.Write(ref _consumerPos, consumer + RecordLength(size));
            if ((length & DiscardBit) != 0) continue;
            data = new ReadOnlySpan<byte>(header + HeaderSize, size);
            return true;
        }
    }

    /// <summary>Hands every committed record to <paramref name="handler"/>, in order; returns how many.</summary>
    public int Consume(Action<ReadOnlySpan<byte>> handler, int maxRecords = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(handler);
        int n = 0;
        while (n < maxRecords && TryRead(out ReadOnlySpan<byte> data))
        {
            handler(data);
            n++;
        }
        return n;
    }

    /// <summary>Waits until a program submits a record with wakeup, or <paramref name="timeout"/> passes.</summary>
    public bool WaitForData(TimeSpan timeout) => AvailableBytes > 0 || _signal.Wait(timeout);

    /// <summary>bpf_ringbuf_reserve: room for <paramref name="size"/> bytes, or null when the ring is full (or flags are not 0).</summary>
    internal byte* Reserve(ulong size, ulong flags)
    {
        if (flags != 0 || size > int.MaxValue / 4) return null;
        long length = RecordLength((int)size);
        if (length > Size) return null;
        lock (_producer)
        {
            long consumer = Volatile.Read(ref _consumerPos), producer = _producerPos;
            // Not more than a ring ahead of the consumer, nor of the oldest record still reserved; that one is found
            // by walking on from where the last reservation left it (amortised O(1), as the kernel's pending_pos).
            while (_pendingPos < producer)
            {
                uint pending = Volatile.Read(ref *(uint*)(_data.Pointer + (_pendingPos & _mask)));
                if ((pending & BusyBit) != 0) break;
                _pendingPos += RecordLength((int)(pending & ~(BusyBit | DiscardBit)));
            }
            if (producer + length - consumer > _mask || producer + length - _pendingPos > _mask) return null;
            byte* header = _data.Pointer + (producer & _mask);
            *(uint*)header = (uint)size | BusyBit;
            *(uint*)(header + 4) = 0;
            Volatile.Write(ref _producerPos, producer + length);
            return header + HeaderSize;
        }
    }

    /// <summary>bpf_ringbuf_submit / bpf_ringbuf_discard of a record <see cref="Reserve"/> returned.</summary>
    internal void Commit(byte* record, bool discard, ulong flags)
    {
        byte* header = record - HeaderSize;
        uint length = *(uint*)header;
        int size = (int)(length & ~(BusyBit | DiscardBit));
        long offset = header - _data.Pointer;
        long end = offset + RecordLength(size);
        // The part written past the ring's end belongs at its start (the kernel's second mapping).
        if (end > Size) new ReadOnlySpan<byte>(_data.Pointer + Size, (int)(end - Size)).CopyTo(new Span<byte>(_data.Pointer, (int)(end - Size)));
        Volatile.Write(ref *(uint*)header, (length & ~BusyBit) | (discard ? DiscardBit : 0));
        const ulong NoWakeup = 1, ForceWakeup = 2;
        if ((flags & NoWakeup) == 0 || (flags & ForceWakeup) != 0) _signal.Release();
    }

    /// <summary>bpf_ringbuf_output: reserve, copy, submit; -EAGAIN (as the kernel) when full, -EINVAL for bad flags.</summary>
    internal long Output(ReadOnlySpan<byte> data, ulong flags)
    {
        if ((flags & ~3UL) != 0) return -22;
        byte* record = Reserve((ulong)data.Length, 0);
        if (record == null) return -11;
        data.CopyTo(new Span<byte>(record, data.Length));
        Commit(record, discard: false, flags);
        return 0;
    }

    /// <summary>bpf_ringbuf_query: available data, ring size, consumer or producer position.</summary>
    internal ulong Query(ulong flags) => flags switch
    {
        0 => (ulong)AvailableBytes,
        1 => (ulong)Size,
        2 => (ulong)Volatile.Read(ref _consumerPos),
        3 => (ulong)Volatile.Read(ref _producerPos),
        _ => 0,
    };

    internal override (IntPtr Start, long Length) ValueStorage => ((IntPtr)_data.Pointer, _data.Length);

    internal override byte* LookupForProgram(ReadOnlySpan<byte> key, int cpu) => null;

    private protected override MapResult LookupCore(ReadOnlySpan<byte> key, Span<byte> value) => MapResult.NotSupported;

    private protected override MapResult UpdateCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags) => MapResult.NotSupported;

    private protected override MapResult DeleteCore(ReadOnlySpan<byte> key) => MapResult.NotSupported;

    private protected override MapResult GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey) => MapResult.NotSupported;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _data.Dispose();
        _signal.Dispose();
    }

    private static long RecordLength(int size) => (size + HeaderSize + 7) & ~7L;
}
