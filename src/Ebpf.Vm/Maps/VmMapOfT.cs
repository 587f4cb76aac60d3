using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ebpf.Vm.Maps;

/// <summary>
/// A typed view of a <see cref="VmMap"/>: the VM's <see cref="IMap{TKey, TValue}"/>, interchangeable with the kernel
/// backend's. Sizes are checked when the view is made; operations do not allocate.
/// </summary>
/// <typeparam name="TKey">The key type (any type for key-less maps such as queues; it is not read).</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class VmMap<TKey, TValue> : IMap<TKey, TValue>
    where TKey : unmanaged
    where TValue : unmanaged
{
    internal VmMap(VmMap map)
    {
        if (map.KeySize != 0 && Unsafe.SizeOf<TKey>() != map.KeySize)
            throw new ArgumentException($"map '{map.Name}': key is {map.KeySize} bytes, {typeof(TKey).Name} is {Unsafe.SizeOf<TKey>()}");
        if (Unsafe.SizeOf<TValue>() != map.ValueSize)
            throw new ArgumentException($"map '{map.Name}': value is {map.ValueSize} bytes, {typeof(TValue).Name} is {Unsafe.SizeOf<TValue>()}");
        Map = map;
    }

    /// <summary>The untyped map.</summary>
    public VmMap Map { get; }

    /// <inheritdoc/>
    public string Name => Map.Name;

    /// <inheritdoc/>
    public MapType Type => Map.Type;

    /// <inheritdoc/>
    public int MaxEntries => Map.MaxEntries;

    /// <inheritdoc/>
    public IEnumerable<TKey> Keys
    {
        get
        {
            if (Map.KeySize == 0) throw new InvalidOperationException($"map '{Name}' ({Type}) has no keys to walk");
            return Walk();
        }
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The map is per-CPU (read it through the untyped map's host value layout).</exception>
    public bool TryLookup(in TKey key, out TValue value)
    {
        RequireSingleValue();
        value = default;
        return Map.Lookup(KeyBytes(key), MemoryMarshal.AsBytes(new Span<TValue>(ref value))) == MapResult.Ok;
    }

    /// <inheritdoc/>
    /// <exception cref="MapException">The map refused (EEXIST, ENOENT, E2BIG, ...; <see cref="MapException.Result"/> says which).</exception>
    public void Update(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        MapResult r = TryUpdate(key, value, flags);
        if (r != MapResult.Ok) throw new MapException($"update in map '{Name}' ({Type}): {Describe(r)}", r);
    }

    /// <inheritdoc/>
    public MapResult TryUpdate(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        RequireSingleValue();
        TValue copy = value;
        return Map.Update(KeyBytes(key), MemoryMarshal.AsBytes(new Span<TValue>(ref copy)), flags);
    }

    /// <inheritdoc/>
    public bool Delete(in TKey key)
    {
        MapResult r = Map.Delete(KeyBytes(key));
        return r == MapResult.Ok || (r != MapResult.NotFound ? throw new MapException($"delete from map '{Name}' ({Type}): {Describe(r)}", r) : false);
    }

    /// <inheritdoc/>
    public bool TryLookupAndDelete(in TKey key, out TValue value)
    {
        RequireSingleValue();
        value = default;
        MapResult r = Map.LookupAndDelete(KeyBytes(key), MemoryMarshal.AsBytes(new Span<TValue>(ref value)));
        return r == MapResult.Ok || (r != MapResult.NotFound ? throw new MapException($"lookup and delete in map '{Name}' ({Type}): {Describe(r)}", r) : false);
    }

    private IEnumerable<TKey> Walk()
    {
        TKey current = default;
        bool first = true;
        while (true)
        {
            TKey next = default;
            MapResult r = Map.GetNextKey(first ? [] : MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in current)), MemoryMarshal.AsBytes(new Span<TKey>(ref next)));
            if (r != MapResult.Ok) yield break;
            yield return next;
            current = next;
            first = false;
        }
    }

    private ReadOnlySpan<byte> KeyBytes(in TKey key) => Map.KeySize == 0 ? [] : MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key));

    private void RequireSingleValue()
    {
        if (Map.HostValueSize != Map.ValueSize)
            throw new InvalidOperationException($"map '{Name}' is per-CPU ({Map.CpuCount} values of {Map.ValueStride} bytes per key): use VmMap.Lookup with a {Map.HostValueSize}-byte buffer");
    }

    internal static string Describe(MapResult r) => r switch
    {
        MapResult.NotFound => "ENOENT (no such element)",
        MapResult.Exists => "EEXIST (the element exists and BPF_NOEXIST was given)",
        MapResult.Full => "E2BIG (the map is full, or the index is past max_entries)",
        MapResult.NoSpace => "ENOSPC (the trie holds max_entries prefixes)",
        MapResult.NotPermitted => "EPERM (the map is frozen)",
        _ => "EINVAL (not an operation of this map type, or bad flags)",
    };
}
