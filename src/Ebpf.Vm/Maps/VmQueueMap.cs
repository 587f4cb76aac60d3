namespace Ebpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_QUEUE (FIFO) and BPF_MAP_TYPE_STACK (LIFO) as kernel/bpf/queue_stack_maps.c keeps them: a ring of
/// max_entries + 1 value slots without keys. Pushing onto a full map fails with E2BIG, or with BPF_EXIST drops the
/// oldest value; popping or peeking an empty one answers ENOENT. The syscall side looks up by peeking, updates by
/// pushing and pops with lookup-and-delete.
/// </summary>
internal sealed unsafe class VmQueueMap : VmMap
{
    private readonly Lock _lock = new();
    private readonly NativeBlock _values;
    private readonly uint _size;
    private readonly bool _stack;
    private uint _head, _tail;

    public VmQueueMap(MapSpec spec, VmMapOptions options) : base(spec, options)
    {
        if (spec.KeySize != 0) throw VmMapFactory.Invalid(spec, $"key_size must be 0 (is {spec.KeySize})");
        if (spec.ValueSize == 0) throw VmMapFactory.Invalid(spec, "value_size must not be 0");
        if (spec.MaxEntries == 0) throw VmMapFactory.Invalid(spec, "max_entries must not be 0");
        _size = spec.MaxEntries + 1;
        _stack = spec.Type == MapType.Stack;
        _values = new NativeBlock((long)_size * ValueSize);
    }

    // Values are copied in and out, never handed to programs by pointer.
    internal override (IntPtr Start, long Length) ValueStorage => (IntPtr.Zero, 0);

    internal override byte* LookupForProgram(ReadOnlySpan<byte> key, int cpu) => null;

    internal override MapResult UpdateFromProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags, int cpu) => Push(value, flags);

    internal override MapResult DeleteFromProgram(ReadOnlySpan<byte> key) => MapResult.Invalid;

    /// <summary>bpf_map_push_elem.</summary>
    public MapResult Push(ReadOnlySpan<byte> value, MapUpdateFlags flags)
    {
        if ((flags & MapUpdateFlags.NoExist) != 0 || flags > MapUpdateFlags.Exist) return MapResult.Invalid;
        lock (_lock)
        {
            if (Wrap(_head + 1) == _tail)
            {
                if (flags != MapUpdateFlags.Exist) return MapResult.Full;
                _tail = Wrap(_tail + 1);   // overwrite the oldest
            }
            value[..ValueSize].CopyTo(Slot(_head));
            _head = Wrap(_head + 1);
            return MapResult.Ok;
        }
    }

    /// <summary>bpf_map_peek_elem (<paramref name="remove"/> false) and bpf_map_pop_elem; an empty map zeroes the value.</summary>
    public MapResult Take(Span<byte> value, bool remove)
    {
        lock (_lock)
        {
            if (_head == _tail)
            {
                value[..ValueSize].Clear();
                return MapResult.NotFound;
            }
            uint index = _stack ? (_head == 0 ? _size - 1 : _head - 1) : _tail;
            Slot(index).CopyTo(value);
            if (remove)
            {
                if (_stack) _head = index;
                else _tail = Wrap(_tail + 1);
            }
            return MapResult.Ok;
        }
    }

    private protected override MapResult LookupCore(ReadOnlySpan<byte> key, Span<byte> value) => Take(value, remove: false);

    private protected override MapResult UpdateCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags) => Push(value, flags);

    private protected override MapResult DeleteCore(ReadOnlySpan<byte> key) => MapResult.Invalid;

    private protected override MapResult LookupAndDeleteCore(ReadOnlySpan<byte> key, Span<byte> value) => Take(value, remove: true);

    private protected override MapResult GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey) => MapResult.Invalid;

    protected override void Dispose(bool disposing) => _values.Dispose();

    private uint Wrap(uint index) => index >= _size ? 0 : index;

    private Span<byte> Slot(uint index) => _values.Slice((long)index * ValueSize, ValueSize);
}
