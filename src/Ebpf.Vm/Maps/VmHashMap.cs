using System.Numerics;

namespace Ebpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_HASH and BPF_MAP_TYPE_PERCPU_HASH as kernel/bpf/hashtab.c keeps them: a power-of-two number of
/// buckets (max_entries rounded up), jhash of the key with the map's seed, new elements at the head of their
/// bucket, and iteration bucket by bucket. A replaced element of a plain hash map is a new element (it moves to its
/// bucket's head); per-CPU values are overwritten in place. Full maps refuse new keys with E2BIG.
/// </summary>
/// <remarks>
/// Writers serialize on one lock; lookups (the program's hot path) take none: slots are published after their bytes
/// are written, and a walk is bounded by the slot count, so a lookup racing a delete sees the element or not, never
/// loops, and never leaves the map's memory.
/// </remarks>
internal sealed unsafe class VmHashMap : VmMap
{
    private readonly Lock _writer = new();
    private readonly NativeBlock _keys, _values;
    private readonly int[] _buckets;     // first slot of each bucket, -1 for none
    private readonly int[] _next;        // next slot in the bucket, -1 at the end
    private readonly uint[] _hashes;
    private readonly Stack<int> _free;
    private readonly uint _mask, _seed;
    private readonly int _element;       // value bytes per slot: one stride per CPU
    private readonly int _slots;
    private int _count;

    public VmHashMap(MapSpec spec, VmMapOptions options) : base(spec, options)
    {
        if (spec.KeySize == 0) throw VmMapFactory.Invalid(spec, "key_size must not be 0");
        if (spec.ValueSize == 0) throw VmMapFactory.Invalid(spec, "value_size must not be 0");
        if (spec.MaxEntries == 0) throw VmMapFactory.Invalid(spec, "max_entries must not be 0");
        if (spec.MaxEntries > 1u << 26) throw VmMapFactory.Invalid(spec, $"max_entries {spec.MaxEntries} is more than the VM holds (2^26)");
        uint buckets = BitOperations.RoundUpToPowerOf2(spec.MaxEntries);
        _mask = buckets - 1;
        _seed = (spec.Flags & MapFlagBits.ZeroSeed) != 0 ? 0 : options.HashSeed;
        _element = ValueStride * CpuCount;
        // One slot more than max_entries: a plain update builds the new element before the old one goes, as the
        // kernel's extra elements allow.
        _slots = (int)spec.MaxEntries + 1;
        _keys = new NativeBlock((long)_slots * KeySize);
        _values = new NativeBlock((long)_slots * _element);
        _buckets = new int[buckets];
        Array.Fill(_buckets, -1);
        _next = new int[_slots];
        _hashes = new uint[_slots];
        _free = new Stack<int>(_slots);
        for (int s = _slots - 1; s >= 0; s--) _free.Push(s);
    }

    /// <summary>Elements in the map.</summary>
    public int Count => Volatile.Read(ref _count);

    internal override (IntPtr Start, long Length) ValueStorage => ((IntPtr)_values.Pointer, _values.Length);

    internal override byte* LookupForProgram(ReadOnlySpan<byte> key, int cpu)
    {
        int slot = Find(key, JHash.Key(key, _seed));
        return slot < 0 ? null : ValueOf(slot) + ((long)CpuOf(cpu) * ValueStride);
    }

    internal override MapResult UpdateFromProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags, int cpu) =>
        Put(key, value, flags, CpuOf(cpu));

    private protected override MapResult LookupCore(ReadOnlySpan<byte> key, Span<byte> value)
    {
        int slot = Find(key, JHash.Key(key, _seed));
        if (slot < 0) return MapResult.NotFound;
        CopyOut(slot, value);
        return MapResult.Ok;
    }

    private protected override MapResult UpdateCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags) =>
        Put(key, value, flags, cpu: -1);

    private protected override MapResult DeleteCore(ReadOnlySpan<byte> key)
    {
        uint hash = JHash.Key(key, _seed);
        lock (_writer)
        {
            int slot = Find(key, hash);
            if (slot < 0) return MapResult.NotFound;
            Unlink(slot, hash);
            return MapResult.Ok;
        }
    }

    private protected override MapResult LookupAndDeleteCore(ReadOnlySpan<byte> key, Span<byte> value)
    {
        uint hash = JHash.Key(key, _seed);
        lock (_writer)
        {
            int slot = Find(key, hash);
            if (slot < 0) return MapResult.NotFound;
            CopyOut(slot, value);
            Unlink(slot, hash);
            return MapResult.Ok;
        }
    }

    private protected override MapResult GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        lock (_writer)
        {
            uint bucket = 0;
            if (!key.IsEmpty)
            {
                uint hash = JHash.Key(key, _seed);
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

    // cpu -1: the host's update (every CPU's value given); else a program's on that CPU.
    private MapResult Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags, int cpu)
    {
        if (!ValidUpdateFlags(flags)) return MapResult.Invalid;
        MapUpdateFlags mode = flags & ~MapUpdateFlags.Lock;
        uint hash = JHash.Key(key, _seed);
        lock (_writer)
        {
            int old = Find(key, hash);
            if (old >= 0 && mode == MapUpdateFlags.NoExist) return MapResult.Exists;
            if (old < 0 && mode == MapUpdateFlags.Exist) return MapResult.NotFound;
            if (old >= 0 && CpuCount > 1)
            {
                WriteValue(old, value, cpu, fresh: false);   // pcpu_copy_value: in place
                return MapResult.Ok;
            }
            if (old < 0 && _count >= MaxEntries) return MapResult.Full;
            int slot = _free.Pop();
            key.CopyTo(new Span<byte>(_keys.Pointer + ((long)slot * KeySize), KeySize));
            WriteValue(slot, value, cpu, fresh: true);
            _hashes[slot] = hash;
            ref int head = ref _buckets[hash & _mask];
            _next[slot] = head;
            Volatile.Write(ref head, slot);                  // published with its key and value written
            if (old >= 0) Unlink(old, hash, replaced: true);
            else _count++;
            return MapResult.Ok;
        }
    }

    private void WriteValue(int slot, ReadOnlySpan<byte> value, int cpu, bool fresh)
    {
        byte* element = ValueOf(slot);
        if (CpuCount == 1)
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
        // A program's update of a new element sets its CPU's value and zeroes the others (pcpu_init_value).
        if (fresh) new Span<byte>(element, _element).Clear();
        value[..ValueSize].CopyTo(new Span<byte>(element + (cpu * ValueStride), ValueSize));
    }

    private void Unlink(int slot, uint hash, bool replaced = false)
    {
        ref int link = ref _buckets[hash & _mask];
        for (int guard = 0; link >= 0 && guard <= _slots; guard++)
        {
            if (link == slot)
            {
                Volatile.Write(ref link, _next[slot]);
                _free.Push(slot);
                if (!replaced) _count--;
                return;
            }
            link = ref _next[link];
        }
    }

    private int Find(ReadOnlySpan<byte> key, uint hash)
    {
        int slot = Volatile.Read(ref _buckets[hash & _mask]);
        for (int guard = 0; slot >= 0 && guard <= _slots; guard++)
        {
            if (_hashes[slot] == hash && key.SequenceEqual(new ReadOnlySpan<byte>(_keys.Pointer + ((long)slot * KeySize), KeySize))) return slot;
            slot = Volatile.Read(ref _next[slot]);
        }
        return -1;
    }

    private MapResult CopyKey(int slot, Span<byte> nextKey)
    {
        new ReadOnlySpan<byte>(_keys.Pointer + ((long)slot * KeySize), KeySize).CopyTo(nextKey);
        return MapResult.Ok;
    }

    private void CopyOut(int slot, Span<byte> value)
    {
        byte* element = ValueOf(slot);
        if (CpuCount == 1)
        {
            new ReadOnlySpan<byte>(element, ValueSize).CopyTo(value);
            return;
        }
        value.Clear();
        for (int c = 0; c < CpuCount; c++) new ReadOnlySpan<byte>(element + (c * ValueStride), ValueSize).CopyTo(value[(c * ValueStride)..]);
    }

    private byte* ValueOf(int slot) => _values.Pointer + ((long)slot * _element);

    private int CpuOf(int cpu) => CpuCount == 1 ? 0 : (int)((uint)cpu % (uint)CpuCount);
}
