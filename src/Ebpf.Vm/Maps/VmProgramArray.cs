using System.Buffers.Binary;
using Ebpf.Vm.Runtime;

namespace Ebpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_PROG_ARRAY: slots of programs of the same collection for <c>bpf_tail_call</c>. The host fills them
/// through <see cref="VmCollection.SetProgram"/> (the kernel takes program fds, which the VM does not have: its
/// byte-level lookups and updates answer EOPNOTSUPP; deletes empty a slot).
/// </summary>
public sealed unsafe class VmProgramArray : VmMap, IProgramSlots
{
    private readonly ProgramImage?[] _slots;

    internal VmProgramArray(MapSpec spec, VmMapOptions options) : base(spec, options)
    {
        if (spec.KeySize != 4 || spec.ValueSize != 4) throw VmMapFactory.Invalid(spec, $"key_size and value_size must be 4 (are {spec.KeySize} and {spec.ValueSize})");
        if (spec.MaxEntries == 0) throw VmMapFactory.Invalid(spec, "max_entries must not be 0");
        _slots = new ProgramImage?[spec.MaxEntries];
    }

    ProgramImage? IProgramSlots.Program(uint index) => index < (uint)_slots.Length ? Volatile.Read(ref _slots[index]) : null;

    internal void Set(uint index, ProgramImage? program)
    {
        if (index >= (uint)_slots.Length) throw new MapException($"map '{Name}': slot {index} is past its {MaxEntries} slots", MapResult.Full);
        Volatile.Write(ref _slots[index], program);
    }

    internal override (IntPtr Start, long Length) ValueStorage => (IntPtr.Zero, 0);

    internal override byte* LookupForProgram(ReadOnlySpan<byte> key, int cpu) => null;

    internal override MapResult UpdateFromProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags, int cpu) => MapResult.Invalid;

    internal override MapResult DeleteFromProgram(ReadOnlySpan<byte> key) => MapResult.Invalid;

    private protected override MapResult LookupCore(ReadOnlySpan<byte> key, Span<byte> value) => MapResult.NotSupported;

    private protected override MapResult UpdateCore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags) => MapResult.NotSupported;

    private protected override MapResult DeleteCore(ReadOnlySpan<byte> key)
    {
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= (uint)_slots.Length) return MapResult.Invalid;
        return Interlocked.Exchange(ref _slots[index], null) is null ? MapResult.NotFound : MapResult.Ok;
    }

    private protected override MapResult GetNextKeyCore(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        uint index = key.IsEmpty ? uint.MaxValue : BinaryPrimitives.ReadUInt32LittleEndian(key);
        uint next = index >= (uint)_slots.Length ? 0 : index + 1;
        if (next >= (uint)_slots.Length) return MapResult.NotFound;
        BinaryPrimitives.WriteUInt32LittleEndian(nextKey, next);
        return MapResult.Ok;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) { }
}
