namespace Ebpf;

/// <summary>
/// A map with fixed-size keys and values, as both backends offer it: kernel maps (<c>Ebpf.Linux.KernelMap</c>) and the
/// userspace VM's maps. Keys and values are blittable structs whose size equals the map's key and value sizes; give
/// them explicit padding fields, since the kernel compares keys byte by byte, padding included.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public interface IMap<TKey, TValue>
    where TKey : unmanaged
    where TValue : unmanaged
{
    /// <summary>The map's name (at most 15 characters in the kernel).</summary>
    string Name { get; }

    /// <summary>The map's type.</summary>
    MapType Type { get; }

    /// <summary>The maximum number of elements.</summary>
    int MaxEntries { get; }

    /// <summary>Looks up <paramref name="key"/>; false when it is absent.</summary>
    bool TryLookup(in TKey key, out TValue value);

    /// <summary>Creates or replaces the element for <paramref name="key"/>, as <paramref name="flags"/> allow.</summary>
    void Update(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any);

    /// <summary>
    /// Creates or replaces the element for <paramref name="key"/> and answers how the map took it instead of
    /// throwing for the outcomes the kernel reports as errno (EEXIST, ENOENT, E2BIG, ENOSPC, EINVAL, EPERM).
    /// </summary>
    MapResult TryUpdate(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any);

    /// <summary>Deletes the element for <paramref name="key"/>; false when it was absent.</summary>
    bool Delete(in TKey key);

    /// <summary>Looks up and deletes <paramref name="key"/> in one step; false when it was absent.</summary>
    bool TryLookupAndDelete(in TKey key, out TValue value);

    /// <summary>The keys, in the map's own order. Elements changed during the enumeration may be seen or not.</summary>
    IEnumerable<TKey> Keys { get; }

    /// <summary>The value for <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The key is absent.</exception>
    TValue Lookup(in TKey key) => TryLookup(key, out TValue value) ? value : throw new KeyNotFoundException($"key not found in map '{Name}'");
}
