using System.Runtime.CompilerServices;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Events;

/// <summary>
/// Reads a BPF ring buffer (BPF_MAP_TYPE_RINGBUF, Linux 5.8+) through its shared mapping: records are read in place,
/// without system calls or allocation, and the consumer position is published after each one so the kernel can reuse
/// the space. A reader has one consumer: use it from one thread at a time (<see cref="Dispose"/> may come from any).
/// </summary>
/// <remarks>
/// Layout (kernel/bpf/ringbuf.c): page 0 holds the consumer position (mapped read-write), page 1 the producer position,
/// then the data pages mapped twice in a row, so a record that wraps at the end reads as one contiguous span. Each
/// record starts with an 8-byte header (length with BUSY and DISCARD bits, page offset) and is padded to 8 bytes.
/// </remarks>
public sealed unsafe class RingBufferReader : IDisposable
{
    private const uint BusyBit = 1u << 31, DiscardBit = 1u << 30;   // BPF_RINGBUF_BUSY_BIT, BPF_RINGBUF_DISCARD_BIT
    private const int HeaderSize = 8;                                // BPF_RINGBUF_HDR_SZ

    private readonly SafeBpfHandle _map;
    private readonly MemoryMapping _consumer;
    private readonly MemoryMapping _producer;
    private readonly EpollWaiter _waiter;
    private readonly long* _consumerPos;
    private readonly long* _producerPos;
    private readonly byte* _data;
    private readonly long _mask;
    private readonly string _subject;
    private long _pending = -1;    // position after the record TryRead returned last, published on the next read

    /// <summary>Maps <paramref name="map"/>'s ring; the reader holds its own fd of the map, so the map may be disposed first.</summary>
    /// <exception cref="ArgumentException">The map is not a ring buffer.</exception>
    /// <exception cref="BpfException">mmap or epoll failed.</exception>
    public RingBufferReader(KernelMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Type != MapType.RingBuffer) throw new ArgumentException($"map {map.Describe()} is a {map.Type}, not a RingBuffer", nameof(map));
        _subject = $"ring buffer {map.Describe()}";
        Size = map.MaxEntries;
        _mask = Size - 1;
        long page = Environment.SystemPageSize;
        _map = map.Handle.Duplicate();
        try
        {
            _consumer = MemoryMapping.Map(_map, 0, page, writable: true, _subject);
            _producer = MemoryMapping.Map(_map, page, page + 2L * Size, writable: false, _subject);
            _producer.Hold(_consumer);   // the consumer page stays mapped while the producer mapping is referenced
            _waiter = new EpollWaiter(_subject);
            _waiter.Add(_map, 0);
        }
        catch
        {
            _waiter?.Dispose();
            _producer?.Dispose();
            _consumer?.Dispose();
            _map.Dispose();
            throw;
        }
        _consumerPos = (long*)_consumer.Address;
        _producerPos = (long*)_producer.Address;
        _data = _producer.Address + page;
    }

    /// <summary>The ring's data size in bytes (the map's max entries, a power of two pages).</summary>
    public int Size { get; }

    /// <summary>Bytes written by the kernel and not yet consumed (including headers and records still being written).</summary>
    public long AvailableBytes
    {
        get
        {
            using var guard = Enter();
            return Volatile.Read(ref *_producerPos) - Volatile.Read(ref *_consumerPos);
        }
    }

    /// <summary>
    /// Returns the next committed record without blocking or allocating; false when none is ready. The previous
    /// record's space is handed back to the kernel first, so its <see cref="RingBufferRecord.Data"/> becomes invalid.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public bool TryRead(out RingBufferRecord record)
    {
        using var guard = Enter();
        if (_pending >= 0)
        {
            Volatile.Write(ref *_consumerPos, _pending);   // release: our reads of the record happen before the kernel reuses it
            _pending = -1;
        }
        long consumer = *_consumerPos;
        while (TryNext(ref consumer, out byte* start, out int length, out bool discarded))
        {
            if (discarded)
            {
                Volatile.Write(ref *_consumerPos, consumer);
                continue;
            }
            _pending = consumer;
            record = new RingBufferRecord(new ReadOnlySpan<byte>(start, length));
            return true;
        }
        record = default;
        return false;
    }

    /// <summary>Passes every ready record to <paramref name="handler"/> (at most <paramref name="maxRecords"/>), without blocking.</summary>
    /// <returns>The number of records handled.</returns>
    /// <remarks>A record's space goes back to the kernel after its handler returns; if the handler throws, the
    /// record stays in the ring and is read again next time.</remarks>
    public int Consume(RecordHandler handler, int maxRecords = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(handler);
        using var guard = Enter();
        if (_pending >= 0)
        {
            Volatile.Write(ref *_consumerPos, _pending);
            _pending = -1;
        }
        long consumer = *_consumerPos;
        int count = 0;
        // The producer position is read once per batch (acquire), not once per record: the records before it are
        // all visible; only their BUSY bits are checked one by one.
        for (long producer = Volatile.Read(ref *_producerPos); consumer < producer; producer = Volatile.Read(ref *_producerPos))
        {
            while (consumer < producer && count < maxRecords)
            {
                byte* header = _data + (consumer & _mask);
                uint len = Volatile.Read(ref *(uint*)header);
                if ((len & BusyBit) != 0) return count;          // reserved, not yet submitted: stop here, keep order
                int length = (int)(len & ~(BusyBit | DiscardBit));
                long next = consumer + ((length + HeaderSize + 7) & ~7L);
                if ((len & DiscardBit) == 0)
                {
                    handler(new ReadOnlySpan<byte>(header + HeaderSize, length));
                    count++;
                }
                consumer = next;
                Volatile.Write(ref *_consumerPos, consumer);     // release: the space goes back once the handler is done
            }
            if (count >= maxRecords) break;
        }
        return count;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for records, then consumes all ready ones.</summary>
    /// <returns>The number of records handled: 0 on timeout, or once the reader is disposed (also while waiting).</returns>
    public int Poll(RecordHandler handler, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            int n = Consume(handler);
            if (n > 0 || !WaitForData(timeout)) return n;
            return Consume(handler);
        }
        catch (ObjectDisposedException) when (_waiter.IsDisposed)
        {
            return 0;   // disposed by another thread, before or during the wait: the documented way to stop a poll loop
        }
    }

    /// <summary>Blocks until a record may be ready or <paramref name="timeout"/> passes (infinite: -1 ms).</summary>
    /// <returns>True when data is ready; false on timeout or once the reader is disposed.</returns>
    public bool WaitForData(TimeSpan timeout)
    {
        if (HasCommittedData()) return true;
        int ms = EpollWaiter.Milliseconds(timeout);
        return _waiter.Wait(ms, stackalloc ulong[1]) > 0;
    }

    /// <summary>Waits without blocking a caller's thread until records may be ready; false once the reader is disposed.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken = default) =>
        HasCommittedData() ? ValueTask.FromResult(true) : _waiter.WaitAsync(cancellationToken);

    /// <summary>
    /// <see cref="ReadAllAsync{T}(CancellationToken)"/> for a record type checked against the program's BTF at
    /// start-up (<see cref="MapBtf.Layout{T}"/>): a layout mismatch fails when the layout is made, not as garbage later.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public IAsyncEnumerable<T> ReadAllAsync<T>(Ebpf.Btf.RecordLayout<T> layout, CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(layout);
        return ReadAllAsync<T>(cancellationToken);
    }

    /// <summary>
    /// Streams the records as <typeparamref name="T"/> values (each copied out of the ring) until cancellation or
    /// dispose; ready records are drained without waiting, then the stream waits on epoll.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="InvalidDataException">A record is shorter than <typeparamref name="T"/>.</exception>
    public async IAsyncEnumerable<T> ReadAllAsync<T>([EnumeratorCancellation] CancellationToken cancellationToken = default) where T : unmanaged
    {
        do
        {
            while (TryReadUnlessDisposed(out T value))
                yield return value;
        }
        while (await WaitAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Reads the next record as a <typeparamref name="T"/>; false when none is ready.</summary>
    /// <exception cref="InvalidDataException">The record is shorter than <typeparamref name="T"/>.</exception>
    public bool TryRead<T>(out T value) where T : unmanaged
    {
        if (TryRead(out RingBufferRecord record))
        {
            value = record.Read<T>();
            return true;
        }
        value = default;
        return false;
    }

    private bool TryReadUnlessDisposed<T>(out T value) where T : unmanaged
    {
        value = default;
        try
        {
            return !_waiter.IsDisposed && TryRead(out value);
        }
        catch (ObjectDisposedException) when (_waiter.IsDisposed)
        {
            return false;   // disposed between the check and the read: the stream ends
        }
    }

    /// <summary>Wakes a blocked wait, then unmaps the ring and closes every fd the reader opened.</summary>
    public void Dispose()
    {
        _waiter.Dispose();
        _producer.Dispose();   // unmapped once the last reader in flight releases it
        _consumer.Dispose();
        _map.Dispose();
    }

    /// <summary>The kernel notifies only when the ring goes from empty to not empty, so check before sleeping.</summary>
    internal bool HasCommittedData()
    {
        if (_waiter.IsDisposed) return false;
        try
        {
            using var guard = Enter();
            long consumer = _pending >= 0 ? _pending : *_consumerPos;
            return Volatile.Read(ref *_producerPos) > consumer;
        }
        catch (ObjectDisposedException)
        {
            return false;   // disposed meanwhile: the wait that follows reports it
        }
    }

    /// <summary>Reads the header at <paramref name="consumer"/>; advances past the record when it is committed.</summary>
    private bool TryNext(ref long consumer, out byte* start, out int length, out bool discarded)
    {
        start = null;
        length = 0;
        discarded = false;
        if (consumer >= Volatile.Read(ref *_producerPos)) return false;     // acquire: the header is visible once the position is
        byte* header = _data + (consumer & _mask);
        uint len = Volatile.Read(ref *(uint*)header);                        // acquire: the kernel clears BUSY with release
        if ((len & BusyBit) != 0) return false;                              // reserved, not yet submitted: stop here, keep order
        discarded = (len & DiscardBit) != 0;
        length = (int)(len & ~(BusyBit | DiscardBit));
        start = header + HeaderSize;
        consumer += (length + HeaderSize + 7) & ~7L;
        return true;
    }

    private Guard Enter() => new(_producer);

    /// <summary>Holds the mappings while they are read: a concurrent <see cref="Dispose"/> unmaps only after.</summary>
    private readonly ref struct Guard
    {
        private readonly MemoryMapping _producer;

        internal Guard(MemoryMapping producer)
        {
            bool added = false;
            producer.DangerousAddRef(ref added);   // ObjectDisposedException once disposed; it holds the consumer page too
            _producer = producer;
        }

        public void Dispose() => _producer.DangerousRelease();
    }
}
