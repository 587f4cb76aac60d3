using System.Runtime.CompilerServices;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

public sealed partial class KernelMap
{
    /// <summary>Looks up <paramref name="key"/> without allocating; false when absent.</summary>
    /// <exception cref="ArgumentException">The struct sizes differ from the map's key and value sizes.</exception>
    /// <exception cref="InvalidOperationException">The map is per-CPU (use <see cref="TryLookupPerCpu{TKey, TValue}"/>).</exception>
    public unsafe bool TryLookup<TKey, TValue>(in TKey key, out TValue value, MapLookupFlags flags = MapLookupFlags.None)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckTyped<TKey, TValue>();
        value = default;
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
            return ElementOp(BpfCommand.MapLookupElem, KeySize == 0 ? null : k, v, (ulong)flags, "lookup in map");
    }

    /// <summary>Creates or replaces the element for <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The struct sizes differ from the map's key and value sizes.</exception>
    /// <exception cref="BpfException">EEXIST / ENOENT against <paramref name="flags"/>, E2BIG (full or out of range)...</exception>
    public unsafe void Update<TKey, TValue>(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckTyped<TKey, TValue>();
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
            ThrowUnlessFound(ElementOp(BpfCommand.MapUpdateElem, KeySize == 0 ? null : k, v, (ulong)flags, "update in map"), "update in map");
    }

    /// <summary>
    /// Creates or replaces the element for <paramref name="key"/>, answering the kernel's refusals (EEXIST, ENOENT,
    /// E2BIG, ENOSPC, EINVAL, EPERM) as a <see cref="MapResult"/> instead of an exception.
    /// </summary>
    /// <exception cref="ArgumentException">The struct sizes differ from the map's key and value sizes.</exception>
    /// <exception cref="BpfException">Any other errno.</exception>
    public unsafe MapResult TryUpdate<TKey, TValue>(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckTyped<TKey, TValue>();
        var attr = new MapElemAttr { Flags = (ulong)flags };
        int r;
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
        {
            attr.Key = Bpf.Ptr(KeySize == 0 ? null : k);
            attr.Value = Bpf.Ptr(v);
            using (Handle.Lease(out attr.MapFd))
                r = Bpf.Invoke(BpfCommand.MapUpdateElem, ref attr);
        }
        if (r >= 0) return MapResult.Ok;
        return (Errno)(-r) switch
        {
            Errno.ENOENT => MapResult.NotFound,
            Errno.EEXIST => MapResult.Exists,
            Errno.E2BIG => MapResult.Full,
            Errno.ENOSPC => MapResult.NoSpace,
            Errno.EINVAL => MapResult.Invalid,
            Errno.EPERM => MapResult.NotPermitted,
            var e => throw BpfErrors.Create(e, "update in map", Describe()),
        };
    }

    /// <summary>Deletes the element for <paramref name="key"/>; false when it was absent.</summary>
    public unsafe bool Delete<TKey>(in TKey key) where TKey : unmanaged
    {
        CheckKeyType<TKey>();
        fixed (TKey* k = &key)
            return ElementOp(BpfCommand.MapDeleteElem, k, null, 0, "delete from map");
    }

    /// <summary>Looks up and deletes <paramref name="key"/> in one step; false when it was absent.</summary>
    public unsafe bool TryLookupAndDelete<TKey, TValue>(in TKey key, out TValue value)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckTyped<TKey, TValue>();
        value = default;
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
            return ElementOp(BpfCommand.MapLookupAndDeleteElem, KeySize == 0 ? null : k, v, 0, "lookup and delete in map");
    }

    /// <summary>The keys of the map, fetched one BPF_MAP_GET_NEXT_KEY at a time (no allocation per key).</summary>
    /// <exception cref="InvalidOperationException">The map has no keys (queue, stack, bloom filter, ring buffers).</exception>
    public MapKeys<TKey> Keys<TKey>() where TKey : unmanaged
    {
        if (KeySize == 0) throw new InvalidOperationException($"map {Describe()} ({Type}) has no keys to walk");
        CheckKeyType<TKey>();
        return new MapKeys<TKey>(this);
    }

    /// <summary>The keys as byte arrays (one allocation per key), for maps whose key type is known only at run time.</summary>
    public IEnumerable<byte[]> RawKeys()
    {
        byte[] current = [];
        while (true)
        {
            byte[] next = new byte[KeySize];
            if (!TryGetNextKey(current, next)) yield break;
            yield return next;
            current = next;
        }
    }

    /// <summary>A typed view of this map implementing <see cref="IMap{TKey, TValue}"/> (it shares the handle).</summary>
    /// <exception cref="ArgumentException">The struct sizes differ from the map's key and value sizes.</exception>
    public KernelMap<TKey, TValue> As<TKey, TValue>() where TKey : unmanaged where TValue : unmanaged
    {
        CheckTyped<TKey, TValue>();
        return new KernelMap<TKey, TValue>(this);
    }

    /// <summary>Checks the key type for a keyed operation (key-less maps accept any TKey as a placeholder only in Push/Peek/Pop).</summary>
    internal void CheckKeyType<TKey>() where TKey : unmanaged
    {
        if (Unsafe.SizeOf<TKey>() != KeySize)
            throw new ArgumentException($"map {Describe()}: key is {KeySize} bytes, {typeof(TKey).Name} is {Unsafe.SizeOf<TKey>()}");
    }

    internal void CheckTyped<TKey, TValue>() where TKey : unmanaged where TValue : unmanaged
    {
        if (KeySize != 0) CheckKeyType<TKey>();
        if (IsPerCpu)
            throw new InvalidOperationException($"map {Describe()} is per-CPU: use TryLookupPerCpu/UpdatePerCpu, or raw buffers of {ValueBufferSize} bytes");
        if (Unsafe.SizeOf<TValue>() != ValueSize)
            throw new ArgumentException($"map {Describe()}: value is {ValueSize} bytes, {typeof(TValue).Name} is {Unsafe.SizeOf<TValue>()}");
    }
}
