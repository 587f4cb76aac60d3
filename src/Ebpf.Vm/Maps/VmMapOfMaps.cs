using System.Buffers.Binary;

namespace Ebpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_ARRAY_OF_MAPS and BPF_MAP_TYPE_HASH_OF_MAPS: slots holding other maps of the same collection. A
/// program's lookup answers the inner map itself (as a map handle the map helpers accept), as in the kernel; the host
/// places maps with <see cref="SetInner"/> (the kernel takes an fd there, and answers the inner map's id to lookups,
/// neither of which the VM has: its byte-level lookups and updates answer EOPNOTSUPP).
/// </summary>
public sealed unsafe class VmMapOfMaps : VmMap
{
    private readonly Lock _lock = new();
    private readonly VmMap?[]? _array;
    private readonly Dictionary<UInt128, VmMap>? _hash;

    internal VmMapOfMaps(MapSpec spec, VmMapOptions options) : base(spec, options)
    {
        if (spec.ValueSize != 4) throw VmMapFactory.Invalid(spec, $"value_size must be 4 (a map fd; is {spec.ValueSize})");
        if (spec.MaxEntries == 0) throw VmMapFactory.Invalid(spec, "max_entries must not be 0");
        if (spec.InnerMap is null) throw VmMapFactory.Invalid(spec, "a map of maps needs its inner map's template (__array(values, ...))");
        if (spec.Type == MapType.ArrayOfMaps)
        {
            if (spec.KeySize != 4) throw VmMapFactory.Invalid(spec, $"key_size must be 4 (is {spec.KeySize})");
            _array = new VmMap?[spec.MaxEntries];
        }
        else
        {
            if (spec.KeySize is 0 or > 16) throw new MapException($"map '{spec.Name}': the VM's hash of maps takes keys of 1 to 16 bytes (this one has {spec.KeySize})", MapResult.NotSupported);
            _hash = [];
        }
    }

    /// <summary>Places <paramref name="inner"/> (a map shaped like the template) at <paramref name="key"/>.</summary>
    /// <exception cref="MapException">The inner map's type or sizes differ from the template (EINVAL), or the map is full (E2BIG).</exception>
    public void SetInner(ReadOnlySpan<byte> key, VmMap inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        CheckKey(key);
        MapSpec template = Spec.InnerMap!;
        if (inner.Type != template.Type || inner.KeySize != (int)template.KeySize || inner.ValueSize != (int)template.ValueSize)
            throw new MapException($"map '{Name}': inner map '{inner.Name}' ({inner.Type} {inner.KeySize}/{inner.ValueSize}) differs from the template ({template.Type} {template.KeySize}/{template.ValueSize})", MapResult.Invalid);
        lock (_lock)
        {
            if (_array is not null)
            {
                uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
                if (index >= _array.Length) throw new MapException($"map '{Name}': index {index} is past its {MaxEntries} slots", MapResult.Full);
                Volatile.Write(ref _array[index], inner);
                return;
            }
            UInt128 k = Pack(key);
            if (!_hash!.ContainsKey(k) && _hash.Count >= MaxEntries) throw new MapException($"map '{Name}' is full ({MaxEntries} maps)", MapResult.Full);
            _hash[k] = inner;
        }
    }

    /// <summary>The map at <paramref name="key"/>, if any: what a program's lookup finds.</summary>
    public VmMap? Inner(ReadOnlySpan<byte> key)
    {
        if (_array is not null)
        {
            uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
            return index < _array.Length ? Volatile.Read(ref _array[index]) : null;
        }
        lock (_lock) return _hash!.TryGetValue(Pack(key), out VmMap? inner) ? inner : null;
    }

    internal override (IntPtr Start, long Length) ValueStorage => (IntPtr.Zero, 0);

    internal override byte* LookupForProgram(ReadOnlySpan<byte> key, int cpu) => null;   // the helper answers a handle

    internal override MapResult UpdateFromProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags, int cpu) => MapResult.Invalid;

    internal override MapResult DeleteFromProgram(ReadOnlySpan<byte> key) => MapResult.Invalid;

    private protected override MapResult LookupCore(ReadOnlySpan<byte> key, Span<byte> value) => MapResult.NotSupported;

    private protected override MapResult UpdateCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags) => MapResult.NotSupported;

    private protected override MapResult DeleteCore(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            if (_array is not null)
            {
                uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
                if (index >= _array.Length || _array[index] is null) return index >= _array.Length ? MapResult.Invalid : MapResult.NotFound;
                _array[index] = null;
                return MapResult.Ok;
            }
            return _hash!.Remove(Pack(key)) ? MapResult.Ok : MapResult.NotFound;
        }
    }

    private protected override MapResult GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (_array is not null)
        {
            uint index = key.IsEmpty ? uint.MaxValue : BinaryPrimitives.ReadUInt32LittleEndian(key);
            uint next = index >= (uint)_array.Length ? 0 : index + 1;
            if (next >= (uint)_array.Length) return MapResult.NotFound;
            BinaryPrimitives.WriteUInt32LittleEndian(nextKey, next);
            return MapResult.Ok;
        }
        lock (_lock)
        {
            // In key order (the kernel's is its hash order; no program can tell).
            UInt128? after = key.IsEmpty ? null : Pack(key);
            UInt128? best = null;
            foreach (UInt128 k in _hash!.Keys)
                if ((after is null || k > after) && (best is null || k < best)) best = k;
            if (best is null) return MapResult.NotFound;
            Unpack(best.Value, nextKey);
            return MapResult.Ok;
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) { }

    private static UInt128 Pack(ReadOnlySpan<byte> key)
    {
        Span<byte> wide = stackalloc byte[16];
        wide.Clear();
        key.CopyTo(wide);
        return BinaryPrimitives.ReadUInt128BigEndian(wide);
    }

    private static void Unpack(UInt128 value, Span<byte> key)
    {
        Span<byte> wide = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(wide, value);
        wide[..key.Length].CopyTo(key);
    }
}
