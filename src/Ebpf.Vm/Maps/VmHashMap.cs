namespace Ebpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_HASH and BPF_MAP_TYPE_PERCPU_HASH: the shared bucket table with preallocated slots. A replaced
/// element of a plain hash map is a new element (it moves to its bucket's head); per-CPU values are overwritten in
/// place. A full map refuses new keys with E2BIG.
/// </summary>
internal sealed class VmHashMap : VmHashTable
{
    private readonly Stack<int> _free;
    private int _count;

    // One slot more than max_entries: a plain update builds the new element before the old one goes, as the
    // kernel's extra elements allow.
    public VmHashMap(MapSpec spec, VmMapOptions options) : base(spec, options, checked((int)spec.MaxEntries + 1))
    {
        _free = new Stack<int>(Slots);
        for (int s = Slots - 1; s >= 0; s--) _free.Push(s);
    }

    /// <summary>Elements in the map.</summary>
    public int Count => Volatile.Read(ref _count);

    private protected override MapResult Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags, int cpu)
    {
        if (!ValidUpdateFlags(flags)) return MapResult.Invalid;
        MapUpdateFlags mode = flags & ~MapUpdateFlags.Lock;
        uint hash = Hash(key);
        lock (Writer)
        {
            int old = Find(key, hash);
            if (old >= 0 && mode == MapUpdateFlags.NoExist) return MapResult.Exists;
            if (old < 0 && mode == MapUpdateFlags.Exist) return MapResult.NotFound;
            if (old >= 0 && IsPerCpu(Type))
            {
                WriteValue(old, value, cpu, fresh: false);   // pcpu_copy_value: in place
                return MapResult.Ok;
            }
            if (old < 0 && _count >= MaxEntries) return MapResult.Full;
            int slot = _free.Pop();
            WriteValue(slot, value, cpu, fresh: true);
            Link(slot, key, hash);
            if (old >= 0)
            {
                Unlink(old);
                _free.Push(old);
            }
            else _count++;
            return MapResult.Ok;
        }
    }

    private protected override void Release(int slot)
    {
        _free.Push(slot);
        _count--;
    }
}
