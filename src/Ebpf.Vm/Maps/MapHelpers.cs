using Ebpf.Vm.Helpers;

namespace Ebpf.Vm.Maps;

/// <summary>
/// The map helpers with the kernel's ids and results: lookups return a pointer into the map's value storage (0 when
/// absent), updates and deletes the negated errno, queue/stack/bloom push, pop and peek, and the ring buffer's
/// output, reserve, submit, discard and query. A map argument that is no map of the program stops it with a fault.
/// </summary>
public static unsafe class MapHelpers
{
    /// <summary>bpf_map_lookup_elem.</summary>
    public const int LookupElem = 1;
    /// <summary>bpf_map_update_elem.</summary>
    public const int UpdateElem = 2;
    /// <summary>bpf_map_delete_elem.</summary>
    public const int DeleteElem = 3;
    /// <summary>bpf_map_push_elem.</summary>
    public const int PushElem = 87;
    /// <summary>bpf_map_pop_elem.</summary>
    public const int PopElem = 88;
    /// <summary>bpf_map_peek_elem.</summary>
    public const int PeekElem = 89;
    /// <summary>bpf_ringbuf_output.</summary>
    public const int RingbufOutput = 130;
    /// <summary>bpf_ringbuf_reserve.</summary>
    public const int RingbufReserve = 131;
    /// <summary>bpf_ringbuf_submit.</summary>
    public const int RingbufSubmit = 132;
    /// <summary>bpf_ringbuf_discard.</summary>
    public const int RingbufDiscard = 133;
    /// <summary>bpf_ringbuf_query.</summary>
    public const int RingbufQuery = 134;

    /// <summary>Adds every map helper to <paramref name="table"/>.</summary>
    public static HelperTable Register(HelperTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Register(LookupElem, Lookup);
        table.Register(UpdateElem, Update);
        table.Register(DeleteElem, Delete);
        table.Register(PushElem, Push);
        table.Register(PopElem, (c, r1, r2, _, _, _) => Take(c, r1, r2, remove: true));
        table.Register(PeekElem, (c, r1, r2, _, _, _) => Take(c, r1, r2, remove: false));
        table.Register(RingbufOutput, Output);
        table.Register(RingbufReserve, Reserve);
        table.Register(RingbufSubmit, (c, r1, r2, _, _, _) => Commit(c, r1, r2, discard: false));
        table.Register(RingbufDiscard, (c, r1, r2, _, _, _) => Commit(c, r1, r2, discard: true));
        table.Register(RingbufQuery, (c, r1, r2, _, _, _) => Ring(c, r1, out _).Query(r2));
        return table;
    }

    private static ulong Lookup(HelperContext c, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        VmMap map = Map(c, r1, out int index);
        if (map is VmMapOfMaps outer)
        {
            // The inner map as a handle of the program's table (VmCollection gives every program all its maps).
            VmMap? inner = outer.Inner(c.GetSpan(r2, map.KeySize, VmMemoryAccess.Read));
            int at = inner is null ? -1 : c.MapIndexOf(inner);
            return at < 0 ? 0 : VmAddressSpace.MapHandle(at);
        }
        byte* value = map.LookupForProgram(c.GetSpan(r2, map.KeySize, VmMemoryAccess.Read), c.Cpu);
        return value == null ? 0 : c.MapValueAddress(index, value);
    }

    private static ulong Update(HelperContext c, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        VmMap map = Map(c, r1, out _);
        ReadOnlySpan<byte> key = c.GetSpan(r2, map.KeySize, VmMemoryAccess.Read);
        ReadOnlySpan<byte> value = c.GetSpan(r3, map.ValueSize, VmMemoryAccess.Read);
        return Errno(map.UpdateFromProgram(key, value, (MapUpdateFlags)r4, c.Cpu));
    }

    private static ulong Delete(HelperContext c, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        VmMap map = Map(c, r1, out _);
        return Errno(map.DeleteFromProgram(c.GetSpan(r2, map.KeySize, VmMemoryAccess.Read)));
    }

    private static ulong Push(HelperContext c, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        VmMap map = Map(c, r1, out _);
        ReadOnlySpan<byte> value = c.GetSpan(r2, map.ValueSize, VmMemoryAccess.Read);
        return map switch
        {
            VmQueueMap queue => Errno(queue.Push(value, (MapUpdateFlags)r3)),
            VmBloomFilterMap bloom => Errno(bloom.Push(value, (MapUpdateFlags)r3)),
            _ => throw c.Fault($"bpf_map_push_elem on map '{map.Name}' ({map.Type}), which is no queue, stack or bloom filter"),
        };
    }

    private static ulong Take(HelperContext c, ulong r1, ulong r2, bool remove)
    {
        VmMap map = Map(c, r1, out _);
        return map switch
        {
            VmQueueMap queue => Errno(queue.Take(c.GetSpan(r2, map.ValueSize, VmMemoryAccess.Write), remove)),
            VmBloomFilterMap bloom when !remove => Errno(bloom.Peek(c.GetSpan(r2, map.ValueSize, VmMemoryAccess.Read))),
            _ => throw c.Fault($"bpf_map_{(remove ? "pop" : "peek")}_elem on map '{map.Name}' ({map.Type}), which does not support it"),
        };
    }

    private static ulong Output(HelperContext c, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        VmRingBuffer ring = Ring(c, r1, out _);
        if (r3 > int.MaxValue) return unchecked((ulong)-22L);
        return unchecked((ulong)ring.Output(c.GetSpan(r2, (int)r3, VmMemoryAccess.Read), r4));
    }

    private static ulong Reserve(HelperContext c, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        VmRingBuffer ring = Ring(c, r1, out int index);
        byte* record = ring.Reserve(r2, r3);
        return record == null ? 0 : c.MapValueAddress(index, record);
    }

    private static ulong Commit(HelperContext c, ulong record, ulong flags, bool discard)
    {
        int index = c.MapIndexOfAddress(record);
        if (index < 0 || c.MapOf(VmAddressSpace.MapHandle(index), out _) is not VmRingBuffer ring)
            throw c.Fault($"bpf_ringbuf_{(discard ? "discard" : "submit")} of 0x{record:x}, which is no ring buffer record", record);
        byte* p = c.MapValuePointer(index, record, 0);
        if (p == null) throw c.Fault("ring buffer record outside its ring", record);
        ring.Commit(p, discard, flags);
        return 0;
    }

    private static VmMap Map(HelperContext c, ulong handle, out int index) =>
        c.MapOf(handle, out index) as VmMap ?? throw c.Fault($"0x{handle:x} is no map of this program (a map argument must come from lddw rX, map)", handle);

    private static VmRingBuffer Ring(HelperContext c, ulong handle, out int index) =>
        Map(c, handle, out index) as VmRingBuffer ?? throw c.Fault($"map argument 0x{handle:x} is no ring buffer", handle);

    // Helpers answer -errno; MapResult's values are the errnos.
    private static ulong Errno(MapResult result) => unchecked((ulong)-(long)(int)result);
}
