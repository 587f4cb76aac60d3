using System.Buffers.Binary;

namespace Ebpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY, and the global data maps (<c>.data</c>, <c>.rodata</c>,
/// <c>.bss</c>, <c>.kconfig</c>) built on them: max_entries preallocated zeroed values indexed by a 4-byte key.
/// Elements always exist: updates with BPF_NOEXIST fail with EEXIST, deletes with EINVAL, an index past the end
/// with E2BIG (update) or ENOENT (lookup), as in kernel/bpf/arraymap.c.
/// </summary>
internal sealed unsafe class VmArrayMap : VmMap
{
    private readonly NativeBlock _values;
    private readonly int _element;   // bytes per index: one stride per CPU

    public VmArrayMap(MapSpec spec, VmMapOptions options) : base(spec, options)
    {
        if (spec.KeySize != 4) throw VmMapFactory.Invalid(spec, $"key_size must be 4 (is {spec.KeySize})");
        if (spec.ValueSize == 0) throw VmMapFactory.Invalid(spec, "value_size must not be 0");
        if (spec.MaxEntries == 0) throw VmMapFactory.Invalid(spec, "max_entries must not be 0");
        _element = ValueStride * CpuCount;
        _values = new NativeBlock((long)_element * spec.MaxEntries);
        if (!spec.InitialValue.IsEmpty)
        {
            if (IsPerCpu(spec.Type) || spec.InitialValue.Length > spec.ValueSize)
                throw VmMapFactory.Invalid(spec, $"its {spec.InitialValue.Length}-byte initial value does not fit one {spec.ValueSize}-byte value");
            spec.InitialValue.AsSpan().CopyTo(_values.Slice(0, ValueSize));
        }
    }

    internal override (IntPtr Start, long Length) ValueStorage => ((IntPtr)_values.Pointer, _values.Length);

    internal override byte* LookupForProgram(ReadOnlySpan<byte> key, int cpu)
    {
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        return index < (uint)MaxEntries ? _values.Pointer + ((long)index * _element) + ((long)CpuIndex(cpu) * ValueStride) : null;
    }

    internal override MapResult UpdateFromProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags, int cpu)
    {
        if (IsReadOnlyToPrograms) return MapResult.NotPermitted;
        MapResult check = Check(key, flags, out uint index);
        if (check != MapResult.Ok) return check;
        value[..ValueSize].CopyTo(new Span<byte>(_values.Pointer + ((long)index * _element) + ((long)CpuIndex(cpu) * ValueStride), ValueSize));
        return MapResult.Ok;
    }

    internal override MapResult DeleteFromProgram(ReadOnlySpan<byte> key) => MapResult.Invalid;

    private protected override MapResult LookupCore(ReadOnlySpan<byte> key, Span<byte> value)
    {
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= (uint)MaxEntries) return MapResult.NotFound;
        CopyOut(index, value);
        return MapResult.Ok;
    }

    private protected override MapResult UpdateCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags)
    {
        MapResult check = Check(key, flags, out uint index);
        if (check != MapResult.Ok) return check;
        byte* element = _values.Pointer + ((long)index * _element);
        if (CpuCount == 1) value.CopyTo(new Span<byte>(element, ValueSize));
        else
            for (int c = 0; c < CpuCount; c++)
                value.Slice(c * ValueStride, ValueSize).CopyTo(new Span<byte>(element + (c * ValueStride), ValueSize));
        return MapResult.Ok;
    }

    private protected override MapResult DeleteCore(ReadOnlySpan<byte> key) => MapResult.Invalid;

    private protected override MapResult GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        // array_map_get_next_key: no key or one past the end restarts at 0; the last index ends the walk.
        uint index = key.IsEmpty ? uint.MaxValue : BinaryPrimitives.ReadUInt32LittleEndian(key);
        uint next;
        if (index >= (uint)MaxEntries) next = 0;
        else if (index == (uint)MaxEntries - 1) return MapResult.NotFound;
        else next = index + 1;
        BinaryPrimitives.WriteUInt32LittleEndian(nextKey, next);
        return MapResult.Ok;
    }

    protected override void Dispose(bool disposing) => _values.Dispose();

    private MapResult Check(ReadOnlySpan<byte> key, MapUpdateFlags flags, out uint index)
    {
        index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (!ValidUpdateFlags(flags)) return MapResult.Invalid;
        if (index >= (uint)MaxEntries) return MapResult.Full;
        if ((flags & ~MapUpdateFlags.Lock) == MapUpdateFlags.NoExist) return MapResult.Exists;   // every element exists
        return MapResult.Ok;
    }

    private void CopyOut(uint index, Span<byte> value)
    {
        byte* element = _values.Pointer + ((long)index * _element);
        if (CpuCount == 1) new ReadOnlySpan<byte>(element, ValueSize).CopyTo(value);
        else
        {
            // The host layout is the kernel's: one 8-byte-aligned stride per CPU, padding zeroed.
            value.Clear();
            for (int c = 0; c < CpuCount; c++)
                new ReadOnlySpan<byte>(element + (c * ValueStride), ValueSize).CopyTo(value.Slice(c * ValueStride));
        }
    }
}
