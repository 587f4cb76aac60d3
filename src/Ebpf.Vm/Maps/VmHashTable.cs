using System.Numerics;

namespace Ebpf.Vm.Maps;

/// <summary>
/// The bucket table every hash map type shares, as kernel/bpf/hashtab.c lays it out: a power-of-two number of
/// buckets (max_entries rounded up), jhash of the key with the map's seed, new elements at the head of their
/// bucket, iteration bucket by bucket. How slots are found for new elements (a free list, or the LRU) is the
/// subclass's.
/// </summary>
/// <remarks>
/// Writers serialize on <see cref="Writer"/>; lookups (the program's hot path) take no lock: slots are published
/// after their bytes are written, and a walk is bounded by the slot count, so a lookup racing a delete sees the
/// element or not, never loops, and never leaves the map's memory.
/// </remarks>
internal abstract unsafe class VmHashTable : VmMap
{
    private readonly NativeBlock _keys, _values;
    private readonly int[] _buckets;     // first slot of each bucket, -1 for none
    private readonly int[] _next;        // next slot in the bucket, -1 at the end
    private readonly uint[] _hashes;
    private readonly uint _mask, _seed;
    private readonly int _element;       // value bytes per slot: one stride per CPU

    private protected VmHashTable(MapSpec spec, VmMapOptions options, int slots) : base(spec, options)
    {
        if (spec.KeySize == 0) throw VmMapFactory.Invalid(spec, "key_size must not be 0");
        if (spec.ValueSize == 0) throw VmMapFactory.Invalid(spec, "value_size must not be 0");
        if (spec.MaxEntries == 0) throw VmMapFactory.Invalid(spec, "max_entries must not be 0");
        if (spec.MaxEntries > 1u << 26) throw VmMapFactory.Invalid(spec, $"max_entries {spec.MaxEntries} is more than the VM holds (2^26)");
        uint buckets = BitOperations.RoundUpToPowerOf2(spec.MaxEntries);
        _mask = buckets - 1;
        _seed = (spec.Flags & MapFlagBits.ZeroSeed) != 0 ? 0 : options.HashSeed;
        _element = ValueStride * CpuCount;
        Slots = slots;
        _keys = new NativeBlock((long)slots * KeySize);
        _values = new NativeBlock((long)slots * _element);
        _buckets = new int[buckets];
        Array.Fill(_buckets, -1);
        _next = new int[slots];
        _hashes = new uint[slots];
    }

    /// <summary>Serializes writers.</summary>
    private protected Lock Writer { get; } = new();

    /// <summary>Element slots (keys and values).</summary>
    private protected int Slots { get; }

    internal override (IntPtr Start, long Length) ValueStorage => ((IntPtr)_values.Pointer, _values.Length);

    internal override byte* LookupForProgram(ReadOnlySpan<byte> key, int cpu)
    {
        int slot = Find(key, Hash(key));
        if (slot < 0) return null;
        OnProgramLookup(slot);
        return ValueOf(slot) + ((long)CpuIndex(cpu) * ValueStride);
    }

    internal override MapResult UpdateFromProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags, int cpu) =>
        Put(key, value, flags, CpuIndex(cpu));

    private protected override MapResult LookupCore(ReadOnlySpan<byte> key, Span<byte> value)
    {
        int slot = Find(key, Hash(key));
        if (slot < 0) return MapResult.NotFound;
        CopyOut(slot, value);
        return MapResult.Ok;
    }

    private protected override MapResult UpdateCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags) =>
        Put(key, value, flags, cpu: -1);

    private protected override MapResult DeleteCore(ReadOnlySpan<byte> key) => Remove(key, value: default, copy: false);

    private protected override MapResult LookupAndDeleteCore(ReadOnlySpan<byte> key, Span<byte> value) => Remove(key, value, copy: true);

    private protected override MapResult GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        lock (Writer)
        {
            uint bucket = 0;
            if (!key.IsEmpty)
            {
                uint hash = Hash(key);
                int slot = Find(key, hash);
                if (slot >= 0)
                {
                    int following = _next[slot];
                    if (following >= 0) return CopyKey(following, nextKey);
                    bucket = (hash & _mask) + 1;
                }
                // A key that is gone restarts the walk at the first element, as htab_map_get_next_key does.
            }
            for (; bucket < (uint)_buckets.Length; bucket++)
                if (_buckets[bucket] >= 0) return CopyKey(_buckets[bucket], nextKey);
            return MapResult.NotFound;
        }
    }

    protected override void Dispose(bool disposing)
    {
        _keys.Dispose();
        _values.Dispose();
    }

    /// <summary>Creates or replaces an element; <paramref name="cpu"/> -1 is the host (every CPU's value given).</summary>
    private protected abstract MapResult Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags, int cpu);

    /// <summary>An element left the table by a delete: its slot may be reused.</summary>
    private protected abstract void Release(int slot);

    /// <summary>A program looked the element up (LRU maps mark it referenced).</summary>
    private protected virtual void OnProgramLookup(int slot) { }

    private MapResult Remove(ReadOnlySpan<byte> key, Span<byte> value, bool copy)
    {
        uint hash = Hash(key);
        lock (Writer)
        {
            int slot = Find(key, hash);
            if (slot < 0) return MapResult.NotFound;
            if (copy) CopyOut(slot, value);
            Unlink(slot);
            Release(slot);
            return MapResult.Ok;
        }
    }

    private protected uint Hash(ReadOnlySpan<byte> key) => JHash.Key(key, _seed);

    /// <summary>Writes the key into <paramref name="slot"/> and links it at the head of its bucket (under the writer lock).</summary>
    private protected void Link(int slot, ReadOnlySpan<byte> key, uint hash)
    {
        key.CopyTo(new Span<byte>(_keys.Pointer + ((long)slot * KeySize), KeySize));
        _hashes[slot] = hash;
        ref int head = ref _buckets[hash & _mask];
        _next[slot] = head;
        Volatile.Write(ref head, slot);   // published with its key and value written
    }

    /// <summary>Takes <paramref name="slot"/> out of its bucket; false when it is in none (under the writer lock).</summary>
    private protected bool Unlink(int slot)
    {
        ref int link = ref _buckets[_hashes[slot] & _mask];
        for (int guard = 0; link >= 0 && guard <= Slots; guard++)
        {
            if (link == slot)
            {
                Volatile.Write(ref link, _next[slot]);
                return true;
            }
            link = ref _next[link];
        }
        return false;
    }

    private protected int Find(ReadOnlySpan<byte> key, uint hash)
    {
        int slot = Volatile.Read(ref _buckets[hash & _mask]);
        for (int guard = 0; slot >= 0 && guard <= Slots; guard++)
        {
            if (_hashes[slot] == hash && key.SequenceEqual(new ReadOnlySpan<byte>(_keys.Pointer + ((long)slot * KeySize), KeySize))) return slot;
            slot = Volatile.Read(ref _next[slot]);
        }
        return -1;
    }

    /// <summary>
    /// Writes a value: the host's gives every CPU's; a program's sets its CPU's and, for a new element, zeroes the
    /// others (pcpu_init_value).
    /// </summary>
    private protected void WriteValue(int slot, ReadOnlySpan<byte> value, int cpu, bool fresh)
    {
        byte* element = ValueOf(slot);
        if (!IsPerCpu(Type))
        {
            value[..ValueSize].CopyTo(new Span<byte>(element, ValueSize));
            return;
        }
        if (cpu < 0)
        {
            for (int c = 0; c < CpuCount; c++)
                value.Slice(c * ValueStride, ValueSize).CopyTo(new Span<byte>(element + (c * ValueStride), ValueSize));
            return;
        }
        if (fresh) new Span<byte>(element, _element).Clear();
        value[..ValueSize].CopyTo(new Span<byte>(element + (cpu * ValueStride), ValueSize));
    }

    private MapResult CopyKey(int slot, Span<byte> nextKey)
    {
        new ReadOnlySpan<byte>(_keys.Pointer + ((long)slot * KeySize), KeySize).CopyTo(nextKey);
        return MapResult.Ok;
    }

    private void CopyOut(int slot, Span<byte> value)
    {
        byte* element = ValueOf(slot);
        if (!IsPerCpu(Type))
        {
            new ReadOnlySpan<byte>(element, ValueSize).CopyTo(value);
            return;
        }
        value.Clear();
        for (int c = 0; c < CpuCount; c++) new ReadOnlySpan<byte>(element + (c * ValueStride), ValueSize).CopyTo(value[(c * ValueStride)..]);
    }

    private byte* ValueOf(int slot) => _values.Pointer + ((long)slot * _element);
}
