using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Events;

/// <summary>
/// Reads a perf event array (BPF_MAP_TYPE_PERF_EVENT_ARRAY): one perf ring per CPU (a PERF_COUNT_SW_BPF_OUTPUT event
/// opened on that CPU, mapped, and stored in the map at the CPU's index), so bpf_perf_event_output(BPF_F_CURRENT_CPU)
/// lands in the ring of the CPU the program ran on. Samples are read in place; a sample that wraps around a ring's
/// end is copied into a reused buffer. Samples the kernel could not store (ring full) come back as PERF_RECORD_LOST
/// records, which are counted (<see cref="LostCount"/>, <see cref="GetLostCount"/>). One consumer: use it from one
/// thread at a time (<see cref="Dispose"/> may come from any).
/// </summary>
public sealed unsafe class PerfBufferReader : IDisposable
{
    private const int HeaderSize = 8;            // struct perf_event_header { u32 type; u16 misc; u16 size; }
    private const int MaxRecordSize = 65536;     // the header's size field is a u16

    private readonly KernelMap _map;
    private readonly Ring[] _rings;
    private readonly EpollWaiter _waiter;
    private readonly string _subject;
    private int _pendingRing = -1;               // the ring whose tail TryRead must publish on the next read
    private long _pendingTail;
    private int _next;                           // TryRead's round-robin start, so one busy CPU cannot starve the others
    private long _lost;

    /// <summary>
    /// Opens and maps one ring for each online CPU (or <see cref="PerfBufferOptions.Cpu"/>) and stores them in
    /// <paramref name="map"/>. The reader holds its own fd of the map; dispose removes its entries again.
    /// </summary>
    /// <exception cref="ArgumentException">The map is not a perf event array, or the options are invalid.</exception>
    /// <exception cref="BpfException">perf_event_open, mmap, the map update or epoll failed.</exception>
    public PerfBufferReader(KernelMap map, PerfBufferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        options ??= new PerfBufferOptions();
        if (map.Type != MapType.PerfEventArray) throw new ArgumentException($"map {map.Describe()} is a {map.Type}, not a PerfEventArray", nameof(map));
        if (options.PagesPerCpu <= 0 || (options.PagesPerCpu & (options.PagesPerCpu - 1)) != 0)
            throw new ArgumentException($"PagesPerCpu must be a power of two, not {options.PagesPerCpu}", nameof(options));
        _subject = $"perf buffer {map.Describe()}";
        int[] cpus = options.Cpu is int only ? [only] : [.. OnlineCpus.List().Where(c => c < map.MaxEntries)];
        int index = options.Index ?? options.Cpu ?? -1;
        if (cpus.Length == 0) throw new ArgumentException($"map {map.Describe()} has {map.MaxEntries} entries: no online CPU fits", nameof(map));
        if (options.Cpu is not null && (index < 0 || index >= map.MaxEntries))
            throw new ArgumentException($"index {index} is outside map {map.Describe()} ({map.MaxEntries} entries)", nameof(options));
        _map = KernelMap.FromHandle(map.Handle.Duplicate());
        _rings = new Ring[cpus.Length];
        try
        {
            _waiter = new EpollWaiter(_subject);
            for (int i = 0; i < cpus.Length; i++)
            {
                _rings[i] = Ring.Open(cpus[i], options.Cpu is null ? cpus[i] : index, options, _subject);
                _waiter.Add(_rings[i].Event, (ulong)i);
                _map.Update(BitConverter.GetBytes(_rings[i].Index), BitConverter.GetBytes((int)_rings[i].Event.DangerousGetHandle()));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The CPUs that have a ring, in ring order.</summary>
    public IReadOnlyList<int> Cpus => [.. _rings.Select(r => r.Cpu)];

    /// <summary>Each ring's data size in bytes.</summary>
    public int RingSize => (int)_rings[0].Size;

    /// <summary>Samples the kernel dropped (ring full) as reported by the PERF_RECORD_LOST records read so far.</summary>
    public long LostCount => Interlocked.Read(ref _lost);

    /// <summary>The lost samples reported by <paramref name="cpu"/>'s ring.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The reader has no ring for that CPU.</exception>
    public long GetLostCount(int cpu)
    {
        foreach (Ring r in _rings)
            if (r.Cpu == cpu) return Interlocked.Read(ref r.Lost);
        throw new ArgumentOutOfRangeException(nameof(cpu), cpu, $"{_subject} has no ring for CPU {cpu}");
    }

    /// <summary>Passes every ready sample of every ring to <paramref name="handler"/> (at most <paramref name="maxRecords"/>), without blocking.</summary>
    /// <returns>The number of samples handled (lost records are counted, not handled).</returns>
    /// <remarks>A sample's space goes back to the kernel after its handler returns; if the handler throws, the
    /// sample stays in the ring and is read again next time.</remarks>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public int Consume(PerfRecordHandler handler, int maxRecords = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(handler);
        PublishPending();
        int count = 0;
        for (int i = 0; i < _rings.Length && count < maxRecords; i++)
            count += ConsumeRing(_rings[i], handler, maxRecords - count);
        return count;
    }

    /// <summary>
    /// Returns the next sample without blocking or allocating; false when no ring holds one. The previous sample's
    /// space is handed back to the kernel first, so its <see cref="PerfRecord.Data"/> becomes invalid.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public bool TryRead(out PerfRecord record)
    {
        PublishPending();
        for (int n = 0; n < _rings.Length; n++)
        {
            int i = (_next + n) % _rings.Length;
            Ring ring = _rings[i];
            using var guard = new MappingGuard(ring.Mapping);
            long tail = *ring.TailPtr;
            while (tail < Volatile.Read(ref *ring.HeadPtr))
            {
                byte* rec = ring.At(tail, out int size);
                tail += size;
                if (ring.IsSample(rec, out ReadOnlySpan<byte> data))
                {
                    (_pendingRing, _pendingTail, _next) = (i, tail, i);
                    record = new PerfRecord(ring.Cpu, data);
                    return true;
                }
                CountLost(ring, rec);
                Volatile.Write(ref *ring.TailPtr, tail);
            }
        }
        record = default;
        return false;
    }

    /// <summary>Reads the next sample as a <typeparamref name="T"/>; false when none is ready.</summary>
    /// <exception cref="InvalidDataException">The sample is shorter than <typeparamref name="T"/>.</exception>
    public bool TryRead<T>(out PerfSample<T> sample) where T : unmanaged
    {
        if (TryRead(out PerfRecord record))
        {
            sample = new PerfSample<T>(record.Cpu, record.Read<T>());
            return true;
        }
        sample = default;
        return false;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for samples, then consumes all ready ones.</summary>
    /// <returns>The number of samples handled: 0 on timeout, or once the reader is disposed (also while waiting).</returns>
    public int Poll(PerfRecordHandler handler, TimeSpan timeout)
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

    /// <summary>Blocks until a ring may hold data or <paramref name="timeout"/> passes (infinite: -1 ms).</summary>
    /// <returns>True when data is ready; false on timeout or once the reader is disposed.</returns>
    public bool WaitForData(TimeSpan timeout)
    {
        if (HasData()) return true;
        int ms = EpollWaiter.Milliseconds(timeout);
        return _waiter.Wait(ms, stackalloc ulong[1]) > 0 || HasData();
    }

    /// <summary>Waits without blocking a caller's thread until a ring may hold data; false once the reader is disposed.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken = default) =>
        HasData() ? ValueTask.FromResult(true) : _waiter.WaitAsync(cancellationToken);

    /// <summary>
    /// <see cref="ReadAllAsync{T}(CancellationToken)"/> for a record type checked against the program's BTF at
    /// start-up (<see cref="MapBtf.Layout{T}"/>): a layout mismatch fails when the layout is made, not as garbage later.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public IAsyncEnumerable<PerfSample<T>> ReadAllAsync<T>(Ebpf.Btf.RecordLayout<T> layout, CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(layout);
        return ReadAllAsync<T>(cancellationToken);
    }

    /// <summary>
    /// Streams the samples as <typeparamref name="T"/> values with their CPU until cancellation or dispose; ready
    /// samples are drained without waiting, then the stream waits on epoll.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="InvalidDataException">A sample is shorter than <typeparamref name="T"/>.</exception>
    public async IAsyncEnumerable<PerfSample<T>> ReadAllAsync<T>([EnumeratorCancellation] CancellationToken cancellationToken = default) where T : unmanaged
    {
        do
        {
            while (TryReadUnlessDisposed(out PerfSample<T> value))
                yield return value;
        }
        while (await WaitAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Wakes a blocked wait, removes the rings from the map, unmaps them and closes every fd the reader opened.</summary>
    public void Dispose()
    {
        _waiter?.Dispose();
        foreach (Ring? ring in _rings)
        {
            if (ring is null) continue;
            try
            {
                _map.Delete(BitConverter.GetBytes(ring.Index));   // the map would keep the event alive otherwise
            }
            catch (BpfException)
            {
                // the entry may already be replaced or gone: nothing of ours to remove
            }
            catch (ObjectDisposedException)
            {
                // disposed twice
            }
            ring.Dispose();
        }
        _map.Dispose();
    }

    private bool TryReadUnlessDisposed<T>(out PerfSample<T> value) where T : unmanaged
    {
        value = default;
        try
        {
            return !_waiter.IsDisposed && TryRead(out value);
        }
        catch (ObjectDisposedException) when (_waiter.IsDisposed)
        {
            return false;
        }
    }

    private void PublishPending()
    {
        if (_pendingRing < 0) return;
        Ring ring = _rings[_pendingRing];
        using var guard = new MappingGuard(ring.Mapping);
        Volatile.Write(ref *ring.TailPtr, _pendingTail);   // release: our reads of the sample happen before the kernel reuses it
        _pendingRing = -1;
    }

    private int ConsumeRing(Ring ring, PerfRecordHandler handler, int max)
    {
        using var guard = new MappingGuard(ring.Mapping);
        long head = Volatile.Read(ref *ring.HeadPtr);      // acquire: the records before head are visible
        long tail = *ring.TailPtr;
        int count = 0;
        while (tail < head && count < max)
        {
            byte* rec = ring.At(tail, out int size);
            if (ring.IsSample(rec, out ReadOnlySpan<byte> data))
            {
                handler(ring.Cpu, data);
                count++;
            }
            else
            {
                CountLost(ring, rec);
            }
            tail += size;
            Volatile.Write(ref *ring.TailPtr, tail);
        }
        return count;
    }

    private void CountLost(Ring ring, byte* rec)
    {
        if (*(uint*)rec != PerfEvent.RecordLost) return;      // other record types (throttle, ...) carry no samples
        long lost = (long)*(ulong*)(rec + HeaderSize + 8);   // { header; u64 id; u64 lost; }
        Interlocked.Add(ref ring.Lost, lost);
        Interlocked.Add(ref _lost, lost);
    }

    private bool HasData()
    {
        if (_waiter.IsDisposed) return false;
        try
        {
            for (int i = 0; i < _rings.Length; i++)
            {
                Ring ring = _rings[i];
                using var guard = new MappingGuard(ring.Mapping);
                long tail = _pendingRing == i ? _pendingTail : *ring.TailPtr;
                if (Volatile.Read(ref *ring.HeadPtr) > tail) return true;
            }
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>One CPU's perf event, its mapping (control page + data pages) and its wrap buffer.</summary>
    private sealed class Ring : IDisposable
    {
        internal int Cpu, Index;
        internal SafeFdHandle Event = null!;
        internal MemoryMapping Mapping = null!;
        internal long* HeadPtr, TailPtr;
        internal byte* Data;
        internal long Size, Mask;
        internal long Lost;
        private byte[]? _wrap;                               // pinned, allocated the first time a record wraps

        internal static Ring Open(int cpu, int index, PerfBufferOptions options, string subject)
        {
            var attr = new PerfEvent.Attr
            {
                Type = PerfEvent.TypeSoftware,
                Config = PerfEvent.CountSwBpfOutput,
                SampleType = PerfEvent.SampleRaw,
                SamplePeriod = 1,
                WakeupEvents = (uint)(options.WakeupWatermarkBytes > 0 ? options.WakeupWatermarkBytes : Math.Max(1, options.WakeupEvents)),
                Flags = options.WakeupWatermarkBytes > 0 ? PerfEvent.FlagWatermark : 0,
            };
            int fd = PerfEvent.Open(ref attr, -1, cpu);
            if (fd < 0) throw BpfErrors.Create((Errno)(-fd), $"perf_event_open (bpf output) on CPU {cpu} for", subject);
            var ring = new Ring { Cpu = cpu, Index = index, Event = SafeFdHandle.Check(fd, "perf_event_open for", subject) };
            try
            {
                long page = Environment.SystemPageSize;
                ring.Mapping = MemoryMapping.Map(ring.Event, 0, page * (options.PagesPerCpu + 1), writable: true, $"{subject} CPU {cpu}");
                byte* b = ring.Mapping.Address;
                long offset = *(long*)(b + PerfEvent.MmapDataOffset), size = *(long*)(b + PerfEvent.MmapDataSize);
                if (size == 0) (offset, size) = (page, page * options.PagesPerCpu);   // kernels before 4.1 leave them zero
                ring.HeadPtr = (long*)(b + PerfEvent.MmapDataHead);
                ring.TailPtr = (long*)(b + PerfEvent.MmapDataTail);
                ring.Data = b + offset;
                (ring.Size, ring.Mask) = (size, size - 1);
                if (PerfEvent.Ioctl(fd, PerfEvent.IocEnable, 0) < 0)
                    throw BpfErrors.Create(Libc.LastErrno, $"enable perf event of CPU {cpu} for", subject);
                return ring;
            }
            catch
            {
                ring.Dispose();
                throw;
            }
        }

        /// <summary>The record at <paramref name="position"/>, contiguous: a wrapped one is copied into the wrap buffer.</summary>
        internal byte* At(long position, out int size)
        {
            long offset = position & Mask;
            byte* rec = Data + offset;                       // headers are 8-byte aligned and never wrap
            size = *(ushort*)(rec + 6);
            if (offset + size <= Size) return rec;
            _wrap ??= GC.AllocateUninitializedArray<byte>(MaxRecordSize, pinned: true);
            int first = (int)(Size - offset);
            byte* copy = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_wrap));
            Buffer.MemoryCopy(rec, copy, MaxRecordSize, first);
            Buffer.MemoryCopy(Data, copy + first, MaxRecordSize - first, size - first);
            return copy;
        }

        /// <summary>A PERF_RECORD_SAMPLE with PERF_SAMPLE_RAW: { header; u32 size; u8 data[size]; }.</summary>
        internal bool IsSample(byte* rec, out ReadOnlySpan<byte> data)
        {
            if (*(uint*)rec == PerfEvent.RecordSample)
            {
                data = new ReadOnlySpan<byte>(rec + HeaderSize + 4, (int)*(uint*)(rec + HeaderSize));
                return true;
            }
            data = default;
            return false;
        }

        public void Dispose()
        {
            if (Event is not null && !Event.IsClosed) _ = PerfEvent.Ioctl((int)Event.DangerousGetHandle(), PerfEvent.IocDisable, 0);
            Mapping?.Dispose();
            Event?.Dispose();
        }
    }

    /// <summary>Holds a mapping while it is read: a concurrent <see cref="Dispose"/> unmaps only after.</summary>
    private readonly ref struct MappingGuard
    {
        private readonly MemoryMapping _mapping;

        internal MappingGuard(MemoryMapping mapping)
        {
            bool added = false;
            mapping.DangerousAddRef(ref added);              // ObjectDisposedException once disposed
            _mapping = mapping;
        }

        public void Dispose() => _mapping.DangerousRelease();
    }
}
