namespace Ebpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_LRU_HASH and BPF_MAP_TYPE_LRU_PERCPU_HASH: the shared bucket table whose slots come from the
/// kernel's LRU (<see cref="LruLists"/>). A new key never fails for room: the LRU evicts the element it picks; as in
/// the kernel, a slot is taken before the flags are checked, so even a refused update may evict. Lookups by
/// programs mark elements referenced; lookups from the host do not (the kernel's sys-only lookup).
/// </summary>
internal sealed class VmLruHashMap : VmHashTable
{
    private readonly LruLists _lru;
    private readonly int _cpus;

    public VmLruHashMap(MapSpec spec, VmMapOptions options) : base(spec, options, Nodes(spec, options))
    {
        _cpus = options.CpuCount;
        _lru = new LruLists(Slots, _cpus, (spec.Flags & MapFlagBits.NoCommonLru) != 0, Unlink);
    }

    private protected override void OnProgramLookup(int slot) => _lru.SetReferenced(slot);

    private protected override MapResult Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags, int cpu)
    {
        if (flags > MapUpdateFlags.Exist) return MapResult.Invalid;
        int onCpu = cpu >= 0 ? cpu : HostCpu();
        uint hash = Hash(key);
        bool perCpu = IsPerCpu(Type);
        lock (Writer)
        {
            // htab_lru_percpu_map_update_elem takes no slot for BPF_EXIST (the value is written in place).
            int node = perCpu && flags == MapUpdateFlags.Exist ? -1 : _lru.PopFree(onCpu % _cpus);
            if (node < 0 && !(perCpu && flags == MapUpdateFlags.Exist)) return MapResult.NoMemory;
            int old = Find(key, hash);
            MapResult check = old >= 0 && flags == MapUpdateFlags.NoExist ? MapResult.Exists
                : old < 0 && flags == MapUpdateFlags.Exist ? MapResult.NotFound : MapResult.Ok;
            if (check != MapResult.Ok)
            {
                if (node >= 0) _lru.PushFree(node);
                return check;
            }
            if (perCpu)
            {
                if (old >= 0)
                {
                    _lru.SetReferenced(old);
                    WriteValue(old, value, cpu, fresh: false);
                    if (node >= 0) _lru.PushFree(node);
                }
                else
                {
                    WriteValue(node, value, cpu, fresh: true);
                    Link(node, key, hash);
                }
                return MapResult.Ok;
            }
            WriteValue(node, value, cpu, fresh: true);
            Link(node, key, hash);
            if (old >= 0)
            {
                _lru.SetReferenced(node);
                Unlink(old);
                _lru.PushFree(old);
            }
            return MapResult.Ok;
        }
    }

    private protected override void Release(int slot) => _lru.PushFree(slot);

    // The kernel works on the CPU the syscall runs on.
    private static int HostCpu() => Math.Max(0, Thread.GetCurrentProcessorId());

    // BPF_F_NO_COMMON_LRU: max_entries rounded to a multiple of the CPUs, so every CPU's list gets the same share.
    private static int Nodes(MapSpec spec, VmMapOptions options)
    {
        int max = (int)spec.MaxEntries, cpus = options.CpuCount;
        if ((spec.Flags & MapFlagBits.NoCommonLru) == 0) return max;
        long up = (max + cpus - 1L) / cpus * cpus;
        return up > int.MaxValue || up < max ? max / cpus * cpus : (int)up;
    }
}
