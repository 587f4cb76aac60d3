namespace Ebpf.Vm.Maps;

/// <summary>
/// The LRU of kernel/bpf/bpf_lru_list.c, node for node: a global list set (active, inactive, free) with per-CPU
/// local free and pending lists (the common LRU), or one list set per CPU (BPF_F_NO_COMMON_LRU); reference bits set
/// by lookups, rotation of the active and inactive lists, shrinking from the inactive tail, stealing from other
/// CPUs' local lists. Which element an insertion evicts is therefore the kernel's choice for the same sequence of
/// operations on the same CPUs.
/// </summary>
internal sealed class LruLists
{
    private const int LocalFreeTarget = 128, PerCpuFreeTarget = 4;
    private const byte Active = 0, Inactive = 1, Free = 2, LocalFree = 3, LocalPending = 4;

    private readonly NodeLists _lists;
    private readonly byte[] _type, _ref;
    private readonly ushort[] _cpu;
    private readonly int[][] _counts;            // per list set: active, inactive
    private readonly int[] _nextInactiveRotation; // per list set: a node id or the inactive head
    private readonly int[] _nextSteal;            // common LRU: per CPU
    private readonly Func<int, bool> _deleteFromTable;
    private readonly bool _perCpu;
    private readonly int _cpus, _scans, _targetFree;

    /// <param name="nodes">Element slots.</param>
    /// <param name="cpus">Possible CPUs.</param>
    /// <param name="perCpu">BPF_F_NO_COMMON_LRU: one list set per CPU.</param>
    /// <param name="deleteFromTable">htab_lru_map_delete_node: unlinks a slot chosen for eviction; false when it is linked nowhere.</param>
    public LruLists(int nodes, int cpus, bool perCpu, Func<int, bool> deleteFromTable)
    {
        _perCpu = perCpu;
        _cpus = cpus;
        _deleteFromTable = deleteFromTable;
        int sets = perCpu ? cpus : 1;
        // Heads: 3 per list set, then (common LRU) 2 local lists per CPU.
        _lists = new NodeLists(nodes, (3 * sets) + (perCpu ? 0 : 2 * cpus));
        _type = new byte[nodes];
        _ref = new byte[nodes];
        _cpu = new ushort[nodes];
        _counts = [.. Enumerable.Range(0, sets).Select(_ => new int[2])];
        _nextInactiveRotation = new int[sets];
        for (int s = 0; s < sets; s++) _nextInactiveRotation[s] = ListHead(s, Inactive);
        _nextSteal = new int[cpus];
        for (int c = 0; c < cpus; c++) _nextSteal[c] = c;
        _scans = perCpu ? PerCpuFreeTarget : LocalFreeTarget;
        // 6.16+: the local free target shrinks with small maps so one CPU cannot starve the others.
        _targetFree = Math.Clamp(nodes / cpus / 2, 1, LocalFreeTarget);
        Populate(nodes);
    }

    /// <summary>bpf_lru_node_set_ref: a lookup marks the element recently used.</summary>
    public void SetReferenced(int node)
    {
        if (Volatile.Read(ref _ref[node]) == 0) Volatile.Write(ref _ref[node], 1);
    }

    /// <summary>bpf_lru_pop_free: a slot for a new element on <paramref name="cpu"/>, evicting one if needed; -1 when none can be had.</summary>
    public int PopFree(int cpu) => _perCpu ? PerCpuPopFree(cpu) : CommonPopFree(cpu);

    /// <summary>bpf_lru_push_free: a slot whose element was deleted (or never linked) goes back to a free list.</summary>
    public void PushFree(int node)
    {
        if (_perCpu)
        {
            Move(_cpu[node], node, Free);
            return;
        }
        if (_type[node] == LocalPending)
        {
            _type[node] = LocalFree;
            _ref[node] = 0;
            _lists.MoveToFront(node, LocalHead(_cpu[node], LocalFree));
            return;
        }
        Move(0, node, Free);
    }

    private void Populate(int nodes)
    {
        if (!_perCpu)
        {
            for (int n = 0; n < nodes; n++)
            {
                _type[n] = Free;
                _lists.AddFront(n, ListHead(0, Free));
            }
            return;
        }
        // bpf_percpu_lru_populate: consecutive runs of nodes per CPU.
        int perCpu = Math.Max(1, nodes / _cpus), i = 0;
        for (int cpu = 0; cpu < _cpus && i < nodes; cpu++)
        {
            do
            {
                _cpu[i] = (ushort)cpu;
                _type[i] = Free;
                _lists.AddFront(i, ListHead(cpu, Free));
                i++;
            }
            while (i < nodes && i % perCpu != 0);
        }
    }

    private int CommonPopFree(int cpu)
    {
        int node = LocalPopFree(cpu);
        if (node < 0)
        {
            PopFreeToLocal(cpu);
            node = LocalPopFree(cpu);
        }
        if (node >= 0)
        {
            AddPending(cpu, node);
            return node;
        }
        // Nothing free here or globally: steal from the CPUs' local lists round robin, from next_steal.
        int first = _nextSteal[cpu], steal = first;
        do
        {
            node = LocalPopFree(steal);
            if (node < 0) node = LocalPopPending(steal);
            steal = (steal + 1) % _cpus;
        }
        while (node < 0 && steal != first);
        _nextSteal[cpu] = steal;
        if (node >= 0) AddPending(cpu, node);
        return node;
    }

    private int PerCpuPopFree(int cpu)
    {
        Rotate(cpu);
        int free = ListHead(cpu, Free);
        if (_lists.IsEmpty(free)) Shrink(cpu, PerCpuFreeTarget, free, Free);
        if (_lists.IsEmpty(free)) return -1;
        int node = _lists.Next(free);
        _ref[node] = 0;
        Move(cpu, node, Inactive);
        return node;
    }

    // bpf_lru_list_pop_free_to_local: flush pending back, rotate, then move target_free free nodes to the CPU.
    private void PopFreeToLocal(int cpu)
    {
        int localFree = LocalHead(cpu, LocalFree);
        // __local_list_flush: pending nodes return to the global lists, oldest (tail) first.
        int pending = LocalHead(cpu, LocalPending);
        for (int node = _lists.Prev(pending); node != pending;)
        {
            int before = _lists.Prev(node);
            MoveIn(node, _ref[node] != 0 ? Active : Inactive);
            node = before;
        }
        Rotate(0);
        int moved = 0, free = ListHead(0, Free);
        for (int node = _lists.Next(free); node != free;)
        {
            int after = _lists.Next(node);
            MoveToFree(0, node, localFree, LocalFree);
            node = after;
            if (++moved == _targetFree) break;
        }
        if (moved < _targetFree) Shrink(0, _targetFree - moved, localFree, LocalFree);
    }

    private int LocalPopFree(int cpu)
    {
        int head = LocalHead(cpu, LocalFree);
        if (_lists.IsEmpty(head)) return -1;
        int node = _lists.Next(head);
        _lists.Remove(node);
        return node;
    }

    // __local_list_pop_pending: the oldest pending node without its reference bit, then any.
    private int LocalPopPending(int cpu)
    {
        int head = LocalHead(cpu, LocalPending);
        for (int pass = 0; pass < 2; pass++)
            for (int node = _lists.Prev(head); node != head; node = _lists.Prev(node))
                if ((_ref[node] == 0 || pass == 1) && _deleteFromTable(node))
                {
                    _lists.Remove(node);
                    return node;
                }
        return -1;
    }

    private void AddPending(int cpu, int node)
    {
        _cpu[node] = (ushort)cpu;
        _type[node] = LocalPending;
        _ref[node] = 0;
        _lists.AddFront(node, LocalHead(cpu, LocalPending));
    }

    // __bpf_lru_list_rotate: the active list when the inactive one is shorter, then always the inactive one.
    private void Rotate(int set)
    {
        if (_counts[set][Inactive] < _counts[set][Active]) RotateActive(set);
        RotateInactive(set);
    }

    private void RotateActive(int set)
    {
        int head = ListHead(set, Active);
        if (_lists.IsEmpty(head)) return;
        int first = _lists.Next(head), i = 0;
        for (int node = _lists.Prev(head); node != head;)
        {
            int before = _lists.Prev(node);
            Move(set, node, _ref[node] != 0 ? Active : Inactive);
            if (++i == _scans || node == first) break;
            node = before;
        }
    }

    private void RotateInactive(int set)
    {
        int head = ListHead(set, Inactive);
        if (_lists.IsEmpty(head)) return;
        int last = _lists.Next(_nextInactiveRotation[set]);
        if (last == head) last = _lists.Next(last);
        int cur = _nextInactiveRotation[set], next = head, i = 0;
        while (i < _scans)
        {
            if (cur == head)
            {
                cur = _lists.Prev(cur);
                continue;
            }
            next = _lists.Prev(cur);
            if (_ref[cur] != 0) Move(set, cur, Active);
            if (cur == last) break;
            cur = next;
            i++;
        }
        _nextInactiveRotation[set] = next;
    }

    // __bpf_lru_list_shrink: unreferenced nodes from the inactive tail; failing that, force one out.
    private void Shrink(int set, int target, int freeHead, byte freeType)
    {
        int inactive = ListHead(set, Inactive), shrunk = 0, i = 0;
        for (int node = _lists.Prev(inactive); node != inactive;)
        {
            int before = _lists.Prev(node);
            if (_ref[node] != 0) Move(set, node, Active);
            else if (_deleteFromTable(node))
            {
                MoveToFree(set, node, freeHead, freeType);
                if (++shrunk == target) break;
            }
            if (++i == _scans) break;
            node = before;
        }
        if (shrunk > 0) return;
        int force = _lists.IsEmpty(inactive) ? ListHead(set, Active) : inactive;
        for (int node = _lists.Prev(force); node != force; node = _lists.Prev(node))
            if (_deleteFromTable(node))
            {
                MoveToFree(set, node, freeHead, freeType);
                return;
            }
    }

    // __bpf_lru_node_move_in: a local node back into a global list, reference bit cleared.
    private void MoveIn(int node, byte type)
    {
        _lists.MoveToFront(node, ListHead(0, type));
        _counts[0][type]++;
        _type[node] = type;
        _ref[node] = 0;
    }

    // __bpf_lru_node_move: between the global lists of one set, reference bit cleared.
    private void Move(int set, int node, byte type)
    {
        if (_type[node] != type)
        {
            if (_type[node] < Free) _counts[set][_type[node]]--;
            if (type < Free) _counts[set][type]++;
            _type[node] = type;
        }
        _ref[node] = 0;
        if (node == _nextInactiveRotation[set]) _nextInactiveRotation[set] = _lists.Prev(node);
        _lists.MoveToFront(node, ListHead(set, type));
    }

    private void MoveToFree(int set, int node, int freeHead, byte freeType)
    {
        if (node == _nextInactiveRotation[set]) _nextInactiveRotation[set] = _lists.Prev(node);
        if (_type[node] < Free) _counts[set][_type[node]]--;
        _type[node] = freeType;
        _lists.MoveToFront(node, freeHead);
    }

    private int ListHead(int set, byte type) => _lists.Head((set * 3) + type);

    private int LocalHead(int cpu, byte type) => _lists.Head((_perCpu ? _cpus * 3 : 3) + (cpu * 2) + (type - LocalFree));
}
