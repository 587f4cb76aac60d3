using System.Runtime.CompilerServices;

namespace Ebpf.Vm.Interpreter;

/// <summary>
/// Translation of program addresses to host pointers, checked against the run's region table: the only way
/// the interpreter (and helpers) reach memory.
/// </summary>
internal static unsafe class MemoryAccess
{
    /// <summary>
    /// The host address of <paramref name="size"/> bytes at program address <paramref name="address"/>, or null
    /// when they are not all inside one region that allows <paramref name="access"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte* TryTranslate(ref ExecutionState state, ulong address, uint size, VmMemoryAccess access)
    {
        ulong slot = address >> VmAddressSpace.RegionShift;
        if (slot < (ulong)(uint)state.RegionCount)
        {
            RegionEntry* region = state.Regions + slot;
            ulong offset = (uint)address;
            // Lengths are below 2^31 and size at most 2^31, so the sum cannot wrap.
            if (offset + size <= region->Length && (region->Access & (int)access) == (int)access)
                return region->Host + offset;
        }
        return null;
    }

    /// <summary>Like <see cref="TryTranslate"/> but faults, at the pc of the current helper call.</summary>
    public static byte* Translate(ref ExecutionState state, ulong address, uint size, VmMemoryAccess access)
    {
        byte* p = TryTranslate(ref state, address, size, access);
        return p != null ? p : throw Faults.Access(ref state, address, size, access, state.Pc);
    }

    /// <summary>Appends a region to the run's table and answers its program address.</summary>
    public static ulong AddRegion(ref ExecutionState state, in VmMemoryRegion region)
    {
        if (state.RegionCount >= VmAddressSpace.MaxRegions)
            throw Faults.Create(ref state, VmFaultReason.TooManyRegions, state.Pc, 0,
                $"a run holds at most {VmAddressSpace.MaxRegions} regions");
        int slot = state.RegionCount++;
        Set(state.Regions + slot, region);
        return VmAddressSpace.SlotAddress(slot);
    }

    /// <summary>Fills a table slot.</summary>
    public static void Set(RegionEntry* entry, in VmMemoryRegion region)
    {
        entry->Host = (byte*)region.Pointer;
        entry->Length = (uint)region.Length;
        entry->Access = (byte)region.Access;
        entry->Kind = (byte)region.Kind;
    }

    /// <summary>
    /// Executes the atomic <paramref name="op"/> on the 4- or 8-byte location <paramref name="p"/> and returns the
    /// value it held before. Interlocked when the host address is naturally aligned (always, for the stack and
    /// for aligned host buffers); otherwise an ordinary read-modify-write, since misaligned interlocked operations
    /// fault on some CPUs and a single program run is single-threaded anyway.
    /// </summary>
    public static ulong Atomic(byte* p, bool is64, int op, ulong value, ulong comparand)
    {
        if (is64)
        {
            if (((nuint)p & 7) == 0) return (ulong)AtomicInterlocked64((long*)p, op, (long)value, (long)comparand);
            ulong old = Unsafe.ReadUnaligned<ulong>(p);
            Unsafe.WriteUnaligned(p, Apply64(old, op, value, comparand));
            return old;
        }
        if (((nuint)p & 3) == 0) return (uint)AtomicInterlocked32((int*)p, op, (int)value, (int)comparand);
        uint old32 = Unsafe.ReadUnaligned<uint>(p);
        Unsafe.WriteUnaligned(p, (uint)Apply64(old32, op, (uint)value, (uint)comparand));
        return old32;
    }

    private static long AtomicInterlocked64(long* p, int op, long value, long comparand)
    {
        switch (op & ~AtomicFetch)
        {
            case 0x00: return Interlocked.Add(ref *p, value) - value;
            case 0x40: return Interlocked.Or(ref *p, value);
            case 0x50: return Interlocked.And(ref *p, value);
            case 0xa0:
                long seen = Volatile.Read(ref *p);
                while (true)
                {
                    long found = Interlocked.CompareExchange(ref *p, seen ^ value, seen);
                    if (found == seen) return found;
                    seen = found;
                }
            case 0xe0: return Interlocked.Exchange(ref *p, value);
            default: return Interlocked.CompareExchange(ref *p, value, comparand);
        }
    }

    private static int AtomicInterlocked32(int* p, int op, int value, int comparand)
    {
        switch (op & ~AtomicFetch)
        {
            case 0x00: return Interlocked.Add(ref *p, value) - value;
            case 0x40: return Interlocked.Or(ref *p, value);
            case 0x50: return Interlocked.And(ref *p, value);
            case 0xa0:
                int seen = Volatile.Read(ref *p);
                while (true)
                {
                    int found = Interlocked.CompareExchange(ref *p, seen ^ value, seen);
                    if (found == seen) return found;
                    seen = found;
                }
            case 0xe0: return Interlocked.Exchange(ref *p, value);
            default: return Interlocked.CompareExchange(ref *p, value, comparand);
        }
    }

    // The value an atomic leaves in memory, for the non-interlocked path (32-bit callers truncate).
    private static ulong Apply64(ulong old, int op, ulong value, ulong comparand) => (op & ~AtomicFetch) switch
    {
        0x00 => old + value,
        0x40 => old | value,
        0x50 => old & value,
        0xa0 => old ^ value,
        0xe0 => value,
        _ => old == comparand ? value : old,
    };

    private const int AtomicFetch = 0x01;
}
