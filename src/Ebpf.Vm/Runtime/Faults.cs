using System.Runtime.CompilerServices;

namespace Ebpf.Vm.Runtime;

/// <summary>
/// Builds the <see cref="VmFaultException"/>s of a run. Kept out of line (NoInlining) so the dispatch loop only
/// carries a call on its cold paths.
/// </summary>
internal static class Faults
{
    /// <summary>A fault of any reason at <paramref name="pc"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static VmFaultException Create(ref ExecutionState state, VmFaultReason reason, int pc, ulong address, string detail) =>
        new(reason, pc, InstructionText.Format(state.Image.Instructions.AsSpan(), pc), address, detail);

    /// <summary>The fault of an access to <paramref name="size"/> bytes at <paramref name="address"/> that failed translation.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static unsafe VmFaultException Access(ref ExecutionState state, ulong address, uint size, VmMemoryAccess access, int pc)
    {
        string what = $"{size}-byte {(access.HasFlag(VmMemoryAccess.Write) ? access.HasFlag(VmMemoryAccess.Read) ? "atomic access" : "store" : "load")} at 0x{address:x}";
        ulong slot = address >> VmAddressSpace.RegionShift;
        uint offset = (uint)address;
        if (slot < (ulong)state.RegionCount && offset + (ulong)size <= state.Regions[slot].Length)
        {
            // In bounds, so the region's permissions refused it.
            bool write = (state.Regions[slot].Access & (byte)VmMemoryAccess.Write) == 0 && access.HasFlag(VmMemoryAccess.Write);
            return Create(ref state, write ? VmFaultReason.WriteToReadOnly : VmFaultReason.OutOfBounds, pc, address,
                $"{what}: {Describe(ref state, (int)slot)} is {(write ? "read-only" : "not readable")}");
        }
        return Create(ref state, VmFaultReason.OutOfBounds, pc, address, $"{what}: {Locate(ref state, slot, offset, size)}");
    }

    // Says where a failed access went, relative to the region it was most likely meant for: pointer arithmetic
    // that runs below a region's start lands at a huge offset of the slot before it.
    private static unsafe string Locate(ref ExecutionState state, ulong slot, uint offset, uint size)
    {
        if (slot == 0 && offset < 4096) return "null pointer (no region starts below 4 GiB)";
        if (offset >= 0x8000_0000u && slot + 1 < (ulong)state.RegionCount && state.Regions[slot + 1].Length > 0)
            return $"{0x1_0000_0000ul - offset} bytes below the start of {Describe(ref state, (int)slot + 1)}";
        if (slot < (ulong)state.RegionCount && state.Regions[slot].Length > 0)
            return $"offset {offset} of {Describe(ref state, (int)slot)}, which is {state.Regions[slot].Length} bytes";
        return "no region there";
    }

    private static unsafe string Describe(ref ExecutionState state, int slot)
    {
        if (slot is >= 1 and <= VmAddressSpace.MaxCallDepth) return $"stack frame {slot - 1}";
        var kind = (VmMemoryRegionKind)state.Regions[slot].Kind;
        return $"region {slot - VmAddressSpace.FirstHostRegion} ({kind.ToString().ToLowerInvariant()})";
    }
}
