using System.Runtime.CompilerServices;

namespace Ebpf.Vm.Runtime;

/// <summary>
/// The run's region table: filling it when a run starts and a frame is entered, and translating program
/// addresses to host pointers against it, the only way engines and helpers reach memory.
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

    /// <summary>
    /// Starts a run: clears the unmapped slot and the stack slots, maps <paramref name="regions"/> after them,
    /// notes the first packet for <c>ldabs</c>/<c>ldind</c>, and maps the entry frame of <paramref name="stack"/>.
    /// </summary>
    /// <param name="state">The run's state; its <see cref="ExecutionState.Regions"/> has <see cref="VmAddressSpace.MaxRegions"/> slots.</param>
    /// <param name="regions">The host regions, at most <see cref="VmAddressSpace.MaxHostRegions"/>.</param>
    /// <param name="stack"><see cref="VmAddressSpace.MaxCallDepth"/> frames of <see cref="VmAddressSpace.StackSize"/> bytes.</param>
    // Inlined into the engine's run method: as a call it cost the interpreter's dispatch loop ~5% on the ALU benchmark.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MapRun(ref ExecutionState state, ReadOnlySpan<VmMemoryRegion> regions, byte* stack)
    {
        RegionEntry* table = state.Regions;
        state.PacketRegion = -1;
        new Span<byte>(table, (VmAddressSpace.FirstHostRegion + regions.Length) * sizeof(RegionEntry)).Clear();
        for (int i = 0; i < regions.Length; i++)
        {
            Set(table + VmAddressSpace.FirstHostRegion + i, regions[i]);
            if (state.PacketRegion < 0 && regions[i].Kind == VmMemoryRegionKind.Packet)
                state.PacketRegion = VmAddressSpace.FirstHostRegion + i;
        }
        state.RegionCount = VmAddressSpace.FirstHostRegion + regions.Length;
        // The program's maps: their value storage, so lookups and global data hand out checked addresses.
        VmMemoryRegion[] maps = state.Image.MapRegions;
        state.MapRegionBase = state.RegionCount;
        state.Cpu = state.Image.Cpu;
        for (int i = 0; i < maps.Length; i++) Set(table + state.RegionCount++, maps[i]);
        EnterFrame(table, stack, 0);
    }

    /// <summary>
    /// Maps the stack frame at call depth <paramref name="depth"/> (table slot 1 + depth), zeroed: a program never
    /// reads what an earlier run or frame left there, nor uninitialised host stack.
    /// </summary>
    public static void EnterFrame(RegionEntry* table, byte* stack, int depth)
    {
        byte* frame = stack + depth * VmAddressSpace.StackSize;
        new Span<byte>(frame, VmAddressSpace.StackSize).Clear();
        table[1 + depth] = new RegionEntry
        {
            Host = frame,
            Length = VmAddressSpace.StackSize,
            Access = (byte)VmMemoryAccess.ReadWrite,
            Kind = (byte)VmMemoryRegionKind.Stack,
        };
    }

    /// <summary>Unmaps the frame at <paramref name="depth"/> when its call returns: pointers into it now fault.</summary>
    public static void LeaveFrame(RegionEntry* table, int depth) => table[1 + depth].Length = 0;

    /// <summary>Fills a table slot.</summary>
    public static void Set(RegionEntry* entry, in VmMemoryRegion region)
    {
        entry->Host = (byte*)region.Pointer;
        entry->Length = (uint)region.Length;
        entry->Access = (byte)region.Access;
        entry->Kind = (byte)region.Kind;
    }
}
