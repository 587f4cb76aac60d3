namespace Ebpf.Linux;

/// <summary>
/// A typed view of a <see cref="KernelMap"/>: the kernel backend's <see cref="IMap{TKey, TValue}"/>. Sizes were checked
/// when the view was made. The view shares the map's handle; disposing it disposes the map.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class KernelMap<TKey, TValue> : IMap<TKey, TValue>, IDisposable
    where TKey : unmanaged
    where TValue : unmanaged
{
    internal KernelMap(KernelMap map) => Map = map;

    /// <summary>The untyped map.</summary>
    public KernelMap Map { get; }

    /// <inheritdoc/>
    public string Name => Map.Name;

    /// <inheritdoc/>
    public MapType Type => Map.Type;

    /// <inheritdoc/>
    public int MaxEntries => Map.MaxEntries;

    /// <inheritdoc/>
    public IEnumerable<TKey> Keys => Map.Keys<TKey>();

    /// <inheritdoc/>
    public bool TryLookup(in TKey key, out TValue value) => Map.TryLookup(key, out value);

    /// <inheritdoc/>
    public void Update(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) => Map.Update(key, value, flags);

    /// <inheritdoc/>
    public bool Delete(in TKey key) => Map.Delete(key);

    /// <inheritdoc/>
    /// <exception cref="BpfException">A failure that is no map answer (EBADF, EFAULT, ...).</exception>
    public MapResult TryUpdate(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) => Map.TryUpdate(key, value, flags);

    /// <inheritdoc/>
    public bool TryLookupAndDelete(in TKey key, out TValue value) => Map.TryLookupAndDelete(key, out value);

    /// <summary>The keys without allocation (a struct enumerable).</summary>
    public MapKeys<TKey> KeysNoAlloc => Map.Keys<TKey>();

    /// <summary>Disposes the underlying map.</summary>
    public void Dispose() => Map.Dispose();
}
