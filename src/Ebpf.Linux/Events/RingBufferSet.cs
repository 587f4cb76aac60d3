using System.Runtime.CompilerServices;

namespace Ebpf.Linux.Events;

/// <summary>
/// Several BPF ring buffers read through one epoll: one wait covers all of them, and each record says which ring
/// (by the index <see cref="Add"/> returned) it came from. Add the rings before reading; one consumer thread at a time
/// (<see cref="Dispose"/> may come from any).
/// </summary>
public sealed class RingBufferSet : IDisposable
{
    private readonly List<RingBufferReader> _readers = [];
    private readonly List<RecordHandler> _forwarders = [];
    private readonly EpollWaiter _waiter = new("ring buffer set");
    private RingRecordHandler? _current;     // the handler of the Consume in progress, which the forwarders call
    private int _next;                       // TryRead's round-robin start

    /// <summary>The number of rings in the set.</summary>
    public int Count => _readers.Count;

    /// <summary>Adds <paramref name="ring"/> (a RingBuffer map; the set holds its own fd) and returns its index.</summary>
    /// <exception cref="ArgumentException">The map is not a ring buffer.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public int Add(KernelMap ring)
    {
        ObjectDisposedException.ThrowIf(_waiter.IsDisposed, this);
        var reader = new RingBufferReader(ring);
        int index = _readers.Count;
        try
        {
            _waiter.Add(ring.Handle, (ulong)index);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
        _readers.Add(reader);
        _forwarders.Add(data => _current!(index, data));
        return index;
    }

    /// <summary>The reader of ring <paramref name="index"/> (for <see cref="RingBufferReader.AvailableBytes"/> and the like).</summary>
    public RingBufferReader this[int index] => _readers[index];

    /// <summary>Passes every ready record of every ring to <paramref name="handler"/> (at most <paramref name="maxRecords"/>), without blocking.</summary>
    /// <returns>The number of records handled.</returns>
    public int Consume(RingRecordHandler handler, int maxRecords = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _current = handler;
        try
        {
            int count = 0;
            for (int i = 0; i < _readers.Count && count < maxRecords; i++)
                count += _readers[i].Consume(_forwarders[i], maxRecords - count);
            return count;
        }
        finally
        {
            _current = null;
        }
    }

    /// <summary>Returns the next record of any ring without blocking or allocating; false when none is ready.</summary>
    /// <param name="ring">The index of the ring the record came from.</param>
    /// <param name="record">The record, valid until the next read from that ring.</param>
    public bool TryRead(out int ring, out RingBufferRecord record)
    {
        for (int n = 0; n < _readers.Count; n++)
        {
            int i = (_next + n) % _readers.Count;
            if (_readers[i].TryRead(out record))
            {
                (ring, _next) = (i, i);
                return true;
            }
        }
        ring = -1;
        record = default;
        return false;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for records in any ring, then consumes all ready ones.</summary>
    /// <returns>The number of records handled: 0 on timeout, or once the set is disposed (also while waiting).</returns>
    public int Poll(RingRecordHandler handler, TimeSpan timeout)
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
            return 0;
        }
    }

    /// <summary>Blocks until a ring may hold records or <paramref name="timeout"/> passes (infinite: -1 ms).</summary>
    /// <returns>True when data is ready; false on timeout or once the set is disposed.</returns>
    public bool WaitForData(TimeSpan timeout)
    {
        if (HasData()) return true;
        int ms = EpollWaiter.Milliseconds(timeout);
        return _waiter.Wait(ms, stackalloc ulong[1]) > 0;
    }

    /// <summary>Waits without blocking a caller's thread until a ring may hold records; false once the set is disposed.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken = default) =>
        HasData() ? ValueTask.FromResult(true) : _waiter.WaitAsync(cancellationToken);

    /// <summary>Streams the records of all rings as <typeparamref name="T"/> values with their ring index, until cancellation or dispose.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="InvalidDataException">A record is shorter than <typeparamref name="T"/>.</exception>
    public async IAsyncEnumerable<RingSample<T>> ReadAllAsync<T>([EnumeratorCancellation] CancellationToken cancellationToken = default) where T : unmanaged
    {
        do
        {
            while (TryReadUnlessDisposed(out RingSample<T> value))
                yield return value;
        }
        while (await WaitAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Wakes a blocked wait, then disposes every ring's reader.</summary>
    public void Dispose()
    {
        _waiter.Dispose();
        foreach (RingBufferReader r in _readers) r.Dispose();
    }

    private bool TryReadUnlessDisposed<T>(out RingSample<T> value) where T : unmanaged
    {
        value = default;
        try
        {
            if (_waiter.IsDisposed || !TryRead(out int ring, out RingBufferRecord record)) return false;
            value = new RingSample<T>(ring, record.Read<T>());
            return true;
        }
        catch (ObjectDisposedException) when (_waiter.IsDisposed)
        {
            return false;
        }
    }

    private bool HasData()
    {
        foreach (RingBufferReader r in _readers)
            if (r.HasCommittedData()) return true;
        return false;
    }
}
