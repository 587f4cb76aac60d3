using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Events;

/// <summary>
/// Writes samples into a user ring buffer (BPF_MAP_TYPE_USER_RINGBUF, Linux 6.1+), the user-to-kernel direction of a
/// ring buffer: a program drains them with bpf_user_ringbuf_drain. Samples are reserved and written in place in the
/// shared mapping, without system calls or allocation. One producer: use it from one thread at a time.
/// </summary>
/// <remarks>
/// Same layout as a kernel ring buffer, with the roles swapped: user space owns the producer position (page 1, mapped
/// read-write with the data pages, which are mapped twice so a sample never wraps) and the kernel the consumer position
/// (page 0, read-only here). A reserved sample carries the BUSY bit until it is submitted or discarded.
/// </remarks>
public sealed unsafe class UserRingBufferWriter : IDisposable
{
    private const int BusyBit = 1 << 31, DiscardBit = 1 << 30;
    private const int HeaderSize = 8;

    private readonly SafeBpfHandle _map;
    private readonly MemoryMapping _consumer;
    private readonly MemoryMapping _producer;
    private readonly long* _consumerPos;
    private readonly long* _producerPos;
    private readonly byte* _data;
    private readonly long _mask;

    /// <summary>Maps <paramref name="map"/>'s ring; the writer holds its own fd of the map.</summary>
    /// <exception cref="ArgumentException">The map is not a user ring buffer.</exception>
    /// <exception cref="BpfException">mmap failed.</exception>
    public UserRingBufferWriter(KernelMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Type != MapType.UserRingBuffer) throw new ArgumentException($"map {map.Describe()} is a {map.Type}, not a UserRingBuffer", nameof(map));
        string subject = $"user ring buffer {map.Describe()}";
        Size = map.MaxEntries;
        _mask = Size - 1;
        long page = Environment.SystemPageSize;
        _map = map.Handle.Duplicate();
        try
        {
            _consumer = MemoryMapping.Map(_map, 0, page, writable: false, subject);
            _producer = MemoryMapping.Map(_map, page, page + 2L * Size, writable: true, subject);
        }
        catch
        {
            _consumer?.Dispose();
            _map.Dispose();
            throw;
        }
        _consumerPos = (long*)_consumer.Address;
        _producerPos = (long*)_producer.Address;
        _data = _producer.Address + page;
    }

    /// <summary>The ring's data size in bytes.</summary>
    public int Size { get; }

    /// <summary>The largest sample that fits in an empty ring.</summary>
    public int MaxSampleSize => Size - HeaderSize;

    /// <summary>Bytes free for new samples (each takes its size plus an 8-byte header, rounded up to 8).</summary>
    public long FreeBytes
    {
        get
        {
            using var guard = Enter();
            return Size - (*_producerPos - Volatile.Read(ref *_consumerPos));
        }
    }

    /// <summary>
    /// Reserves <paramref name="size"/> bytes; false when the ring has no room now (the program has not drained it yet).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not positive or exceeds <see cref="MaxSampleSize"/>.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public bool TryReserve(int size, out UserRingBufferSample sample)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxSampleSize);
        using var guard = Enter();
        long consumer = Volatile.Read(ref *_consumerPos);   // acquire: the kernel is done with the space before it
        long producer = *_producerPos;                        // only we write it
        long total = (size + HeaderSize + 7) & ~7L;
        if (Size - (producer - consumer) < total)
        {
            sample = default;
            return false;
        }
        byte* header = _data + (producer & _mask);
        *(int*)header = size | BusyBit;
        *(int*)(header + 4) = 0;
        Volatile.Write(ref *_producerPos, producer + total);   // release: the BUSY header is visible first
        sample = new UserRingBufferSample(header, size);
        return true;
    }

    /// <summary>Hands a reserved sample to the kernel: the next drain passes it to the program.</summary>
    public void Submit(UserRingBufferSample sample) => Commit(sample, discard: false);

    /// <summary>Releases a reserved sample unsent: the drain skips it.</summary>
    public void Discard(UserRingBufferSample sample) => Commit(sample, discard: true);

    /// <summary>Reserves, copies <paramref name="data"/> and submits; false when the ring has no room now.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="data"/> is empty or exceeds <see cref="MaxSampleSize"/>.</exception>
    public bool TryWrite(ReadOnlySpan<byte> data)
    {
        if (!TryReserve(data.Length, out UserRingBufferSample sample)) return false;
        data.CopyTo(sample.Data);
        Submit(sample);
        return true;
    }

    /// <summary>Writes <paramref name="value"/> as one sample; false when the ring has no room now.</summary>
    public bool TryWriteValue<T>(in T value) where T : unmanaged =>
        TryWrite(System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    /// <summary>Unmaps the ring and closes the writer's fd of the map (reserved, unsubmitted samples stay BUSY).</summary>
    public void Dispose()
    {
        _producer.Dispose();
        _consumer.Dispose();
        _map.Dispose();
    }

    private void Commit(UserRingBufferSample sample, bool discard)
    {
        if (sample.Header == null) throw new ArgumentException("the sample was not reserved (default value)", nameof(sample));
        using var guard = Enter();
        int len = *(int*)sample.Header;
        if ((len & BusyBit) == 0) throw new InvalidOperationException("the sample was already submitted or discarded");
        len &= ~BusyBit;
        if (discard) len |= DiscardBit;
        Interlocked.Exchange(ref *(int*)sample.Header, len);   // full fence: the sample's bytes are visible before BUSY clears
    }

    private Guard Enter() => new(_consumer, _producer);

    private readonly ref struct Guard
    {
        private readonly MemoryMapping _a, _b;

        internal Guard(MemoryMapping a, MemoryMapping b)
        {
            bool x = false, y = false;
            a.DangerousAddRef(ref x);
            try
            {
                b.DangerousAddRef(ref y);
            }
            catch
            {
                a.DangerousRelease();
                throw;
            }
            (_a, _b) = (a, b);
        }

        public void Dispose()
        {
            _b.DangerousRelease();
            _a.DangerousRelease();
        }
    }
}
