using System.Runtime.CompilerServices;

namespace Ebpf.Vm.Runtime;

/// <summary>
/// The atomic instructions' effect on memory (add, or, and, xor, xchg, cmpxchg; 32 and 64 bits), defined once for
/// every engine, like <see cref="AluSemantics"/> for arithmetic.
/// </summary>
internal static unsafe class AtomicMemory
{
    /// <summary>
    /// Executes the atomic <paramref name="op"/> on the 4- or 8-byte location <paramref name="p"/> and returns the
    /// value it held before. Interlocked when the host address is naturally aligned (always, for the stack and
    /// for aligned host buffers); otherwise an ordinary read-modify-write, since misaligned interlocked operations
    /// fault on some CPUs and a single program run is single-threaded anyway.
    /// </summary>
    public static ulong Execute(byte* p, bool is64, int op, ulong value, ulong comparand)
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
