using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

// Per-CPU maps copy one value per possible CPU, each in a slot rounded up to 8 bytes (bpf_long_memcpy in the kernel).
// When TValue's size is already a multiple of 8, the caller's span is that buffer and nothing is copied.
public sealed partial class KernelMap
{
    /// <summary>Looks up <paramref name="key"/> in a per-CPU map, one value per possible CPU, CPU 0 first.</summary>
    /// <param name="key">The key.</param>
    /// <param name="values">At least <see cref="PossibleCpus.Count"/> elements; the first that many are written.</param>
    /// <returns>False when the key is absent.</returns>
    public unsafe bool TryLookupPerCpu<TKey, TValue>(in TKey key, Span<TValue> values) where TKey : unmanaged where TValue : unmanaged
    {
        CheckPerCpu<TKey, TValue>(values.Length);
        int cpus = PossibleCpus.Count;
        fixed (TKey* k = &key)
        {
            if (Unsafe.SizeOf<TValue>() == ValueStride)
                fixed (TValue* v = values)
                    return ElementOp(BpfCommand.MapLookupElem, k, v, 0, "lookup in map");
            byte[] buffer = ArrayPool<byte>.Shared.Rent(ValueBufferSize);
            try
            {
                fixed (byte* b = buffer)
                    if (!ElementOp(BpfCommand.MapLookupElem, k, b, 0, "lookup in map")) return false;
                for (int cpu = 0; cpu < cpus; cpu++)
                    values[cpu] = MemoryMarshal.Read<TValue>(buffer.AsSpan(cpu * ValueStride));
                return true;
            }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
        }
    }

    /// <summary>The per-CPU values of <paramref name="key"/> as a new array, or null when absent.</summary>
    public TValue[]? LookupPerCpu<TKey, TValue>(in TKey key) where TKey : unmanaged where TValue : unmanaged
    {
        var values = new TValue[PossibleCpus.Count];
        return TryLookupPerCpu(key, values.AsSpan()) ? values : null;
    }

    /// <summary>Sets the value of <paramref name="key"/> on every possible CPU.</summary>
    /// <param name="key">The key.</param>
    /// <param name="values">Exactly <see cref="PossibleCpus.Count"/> values, CPU 0 first.</param>
    /// <param name="flags">Whether the element may or must exist.</param>
    public unsafe void UpdatePerCpu<TKey, TValue>(in TKey key, ReadOnlySpan<TValue> values, MapUpdateFlags flags = MapUpdateFlags.Any)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckPerCpu<TKey, TValue>(values.Length);
        int cpus = PossibleCpus.Count;
        if (values.Length != cpus) throw new ArgumentException($"map {Describe()} needs {cpus} per-CPU values, got {values.Length}", nameof(values));
        fixed (TKey* k = &key)
        {
            if (Unsafe.SizeOf<TValue>() == ValueStride)
            {
                fixed (TValue* v = values)
                    ThrowUnlessFound(ElementOp(BpfCommand.MapUpdateElem, k, v, (ulong)flags, "update in map"), "update in map");
                return;
            }
            byte[] buffer = ArrayPool<byte>.Shared.Rent(ValueBufferSize);
            try
            {
                buffer.AsSpan(0, ValueBufferSize).Clear();
                for (int cpu = 0; cpu < cpus; cpu++)
                    MemoryMarshal.Write(buffer.AsSpan(cpu * ValueStride), in Unsafe.AsRef(in values[cpu]));
                fixed (byte* b = buffer)
                    ThrowUnlessFound(ElementOp(BpfCommand.MapUpdateElem, k, b, (ulong)flags, "update in map"), "update in map");
            }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
        }
    }

    /// <summary>Sets the same value of <paramref name="key"/> on every possible CPU (e.g. to reset counters).</summary>
    public void UpdateAllCpus<TKey, TValue>(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
        where TKey : unmanaged where TValue : unmanaged
    {
        TValue[] values = new TValue[PossibleCpus.Count];
        Array.Fill(values, value);
        UpdatePerCpu(key, (ReadOnlySpan<TValue>)values, flags);
    }

    private void CheckPerCpu<TKey, TValue>(int count) where TKey : unmanaged where TValue : unmanaged
    {
        if (!IsPerCpu) throw new InvalidOperationException($"map {Describe()} ({Type}) is not per-CPU");
        CheckKeyType<TKey>();
        if (Unsafe.SizeOf<TValue>() != ValueSize)
            throw new ArgumentException($"map {Describe()}: value is {ValueSize} bytes, {typeof(TValue).Name} is {Unsafe.SizeOf<TValue>()}");
        if (count < PossibleCpus.Count)
            throw new ArgumentException($"map {Describe()} has a value for each of {PossibleCpus.Count} possible CPUs, the span holds {count}");
    }
}
