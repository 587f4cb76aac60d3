using System.Runtime.InteropServices;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

// BPF_MAP_*_BATCH (Linux 5.6+): many elements per system call. Hash maps cannot split a bucket across calls, so a
// lookup whose buffers are smaller than the current bucket fails with ENOSPC; give room for a few dozen elements.
public sealed partial class KernelMap
{
    /// <summary>Reads the next elements of a walk into <paramref name="keys"/> and <paramref name="values"/>.</summary>
    /// <param name="cursor">The walk's position; updated.</param>
    /// <param name="keys">Room for n keys (n x <see cref="KeySize"/> bytes).</param>
    /// <param name="values">Room for n values (n x <see cref="ValueBufferSize"/> bytes).</param>
    /// <param name="flags">Element flags.</param>
    /// <returns>The number of elements written; 0 once the walk is complete.</returns>
    public int LookupBatch(MapBatchCursor cursor, Span<byte> keys, Span<byte> values, MapLookupFlags flags) =>
        ReadBatch(BpfCommand.MapLookupBatch, cursor, keys, values, flags, "batch lookup in map");

    /// <summary>Reads the next elements of a walk (raw bytes; see the overload with flags).</summary>
    /// <returns>The number of elements written; 0 once the walk is complete.</returns>
    public int LookupBatch(MapBatchCursor cursor, Span<byte> keys, Span<byte> values) =>
        ReadBatch(BpfCommand.MapLookupBatch, cursor, keys, values, MapLookupFlags.None, "batch lookup in map");

    /// <summary>Like <c>LookupBatch</c>, deleting what it returns.</summary>
    /// <returns>The number of elements written (and deleted); 0 once the walk is complete.</returns>
    public int LookupAndDeleteBatch(MapBatchCursor cursor, Span<byte> keys, Span<byte> values, MapLookupFlags flags = MapLookupFlags.None) =>
        ReadBatch(BpfCommand.MapLookupAndDeleteBatch, cursor, keys, values, flags, "batch lookup and delete in map");

    /// <summary>Typed <c>LookupBatch</c>: fills up to min(keys, values) elements.</summary>
    public int LookupBatch<TKey, TValue>(MapBatchCursor cursor, Span<TKey> keys, Span<TValue> values)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckTyped<TKey, TValue>();
        int n = Math.Min(keys.Length, values.Length);
        return ReadBatch(BpfCommand.MapLookupBatch, cursor, MemoryMarshal.AsBytes(keys[..n]), MemoryMarshal.AsBytes(values[..n]), MapLookupFlags.None, "batch lookup in map");
    }

    /// <summary>Creates or replaces many elements; returns how many were written (all, unless an exception says otherwise).</summary>
    /// <param name="keys">n keys.</param>
    /// <param name="values">n values of <see cref="ValueBufferSize"/> bytes.</param>
    /// <param name="flags">Whether the elements may or must exist.</param>
    public unsafe int UpdateBatch(ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        int n = CountOf(keys.Length, KeySize, "keys");
        if (values.Length != n * ValueBufferSize)
            throw new ArgumentException($"map {Describe()}: {n} keys need {n * ValueBufferSize} value bytes, got {values.Length}", nameof(values));
        fixed (byte* k = keys, v = values)
            return WriteBatch(BpfCommand.MapUpdateBatch, k, v, n, (ulong)flags, "batch update in map");
    }

    /// <summary>Typed <see cref="UpdateBatch(ReadOnlySpan{byte}, ReadOnlySpan{byte}, MapUpdateFlags)"/>.</summary>
    public int UpdateBatch<TKey, TValue>(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values, MapUpdateFlags flags = MapUpdateFlags.Any)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckTyped<TKey, TValue>();
        if (keys.Length != values.Length) throw new ArgumentException($"{keys.Length} keys but {values.Length} values", nameof(values));
        return UpdateBatch(MemoryMarshal.AsBytes(keys), MemoryMarshal.AsBytes(values), flags);
    }

    /// <summary>Deletes many elements; returns how many were deleted.</summary>
    /// <exception cref="BpfException">ENOENT: a key was absent (elements before it are deleted).</exception>
    public unsafe int DeleteBatch(ReadOnlySpan<byte> keys)
    {
        int n = CountOf(keys.Length, KeySize, "keys");
        fixed (byte* k = keys)
            return WriteBatch(BpfCommand.MapDeleteBatch, k, null, n, 0, "batch delete from map");
    }

    /// <summary>Typed <see cref="DeleteBatch(ReadOnlySpan{byte})"/>.</summary>
    public int DeleteBatch<TKey>(ReadOnlySpan<TKey> keys) where TKey : unmanaged
    {
        CheckKeyType<TKey>();
        return DeleteBatch(MemoryMarshal.AsBytes(keys));
    }

    private unsafe int ReadBatch(BpfCommand command, MapBatchCursor cursor, Span<byte> keys, Span<byte> values, MapLookupFlags flags, string operation)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (cursor.IsComplete) return 0;
        int n = Math.Min(CountOf(keys.Length, KeySize, "keys", exact: false), values.Length / Math.Max(1, ValueBufferSize));
        if (n == 0) throw new ArgumentException($"map {Describe()}: the buffers hold no element", nameof(keys));
        cursor.EnsureToken(KeySize);
        fixed (byte* k = keys, v = values, outBatch = cursor.Scratch, inBatch = cursor.Token)
        {
            var attr = new MapBatchAttr
            {
                InBatch = cursor.Started ? Bpf.Ptr(inBatch) : 0,
                OutBatch = Bpf.Ptr(outBatch),
                Keys = Bpf.Ptr(k),
                Values = Bpf.Ptr(v),
                Count = (uint)n,
                ElemFlags = (ulong)flags,
            };
            int r;
            using (Handle.Lease(out attr.MapFd))
                r = Bpf.Invoke(command, ref attr);
            // ENOENT ends the walk; the elements of this last call are still valid (attr.Count says how many).
            if (r == -(int)Errno.ENOENT) { cursor.IsComplete = true; return (int)attr.Count; }
            // ENOSPC comes before anything was copied: the position stays, a retry with larger buffers continues.
            if (r == -(int)Errno.ENOSPC)
                throw new BpfException($"{operation} {Describe()}: {Errno.ENOSPC.Describe()}; a hash bucket holds more than {n} elements, pass larger buffers", Errno.ENOSPC);
            BpfErrors.Check(r, operation, Describe());
            cursor.Started = true;
            cursor.Advance();
            return (int)attr.Count;
        }
    }

    private unsafe int WriteBatch(BpfCommand command, byte* keys, byte* values, int n, ulong elemFlags, string operation)
    {
        if (n == 0) return 0;
        var attr = new MapBatchAttr { Keys = Bpf.Ptr(keys), Values = Bpf.Ptr(values), Count = (uint)n, ElemFlags = elemFlags };
        int r;
        using (Handle.Lease(out attr.MapFd))
            r = Bpf.Invoke(command, ref attr);
        if (r < 0) throw BpfErrors.Create((Errno)(-r), operation, $"{Describe()} (after {attr.Count} of {n} elements)");
        return (int)attr.Count;
    }

    private int CountOf(int bytes, int size, string what, bool exact = true)
    {
        if (size == 0) throw new InvalidOperationException($"map {Describe()} ({Type}) has no keys: batch operations need keys");
        if (exact && bytes % size != 0) throw new ArgumentException($"map {Describe()}: {what} span of {bytes} bytes is not a multiple of {size}", what);
        return bytes / size;
    }
}
