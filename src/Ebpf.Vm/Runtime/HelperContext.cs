using Ebpf.Vm.Runtime;

namespace Ebpf.Vm.Helpers;

/// <summary>
/// What a helper may do with the program that called it: turn program addresses into host spans (checked
/// against the run's regions exactly as the program's own loads and stores are), hand the program new memory,
/// and stop the program with a fault. Valid only during the helper call.
/// </summary>
/// <remarks>
/// Part of the VM's core (the helper calling convention every engine follows). <c>Program</c>, the calling
/// <see cref="VmProgram"/>, is an extension property declared beside <see cref="VmProgram"/>, which sits above
/// the core.
/// </remarks>
public readonly ref struct HelperContext
{
    private readonly ref ExecutionState _state;

    internal HelperContext(ref ExecutionState state) => _state = ref state;

    /// <summary>The public object of the calling program (a <see cref="VmProgram"/>).</summary>
    internal object Owner => _state.Image.Owner;

    /// <summary>Slot index of the calling instruction.</summary>
    public int Pc => _state.Pc;

    /// <summary>
    /// The host bytes behind <paramref name="length"/> bytes of program memory at <paramref name="address"/>.
    /// </summary>
    /// <param name="address">A program address (e.g. an argument register).</param>
    /// <param name="length">Number of bytes the helper will touch.</param>
    /// <param name="access">What the helper will do with them; writing needs a writable region.</param>
    /// <exception cref="VmFaultException">The bytes are not all inside one region, or the region forbids the access.</exception>
    public unsafe Span<byte> GetSpan(ulong address, int length, VmMemoryAccess access)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        byte* p = MemoryAccess.Translate(ref _state, address, (uint)length, access);
        return new Span<byte>(p, length);
    }

    /// <summary>Like <see cref="GetSpan"/>, but answers false instead of faulting.</summary>
    public unsafe bool TryGetSpan(ulong address, int length, VmMemoryAccess access, out Span<byte> span)
    {
        byte* p = length < 0 ? null : MemoryAccess.TryTranslate(ref _state, address, (uint)length, access);
        span = p == null ? default : new Span<byte>(p, length);
        return p != null;
    }

    /// <summary>
    /// Makes <paramref name="length"/> bytes at <paramref name="pointer"/> visible to the program until the run ends
    /// (a map value, a buffer the helper returns) and answers the address the program must use.
    /// </summary>
    /// <remarks>The memory must stay valid and unmoved until the run ends (native or pinned memory).</remarks>
    /// <exception cref="VmFaultException">The run's region table is full (<see cref="VmFaultReason.TooManyRegions"/>).</exception>
    public unsafe ulong MapRegion(void* pointer, int length, VmMemoryAccess access, VmMemoryRegionKind kind = VmMemoryRegionKind.HelperBuffer) =>
        MemoryAccess.AddRegion(ref _state, new VmMemoryRegion(pointer, length, access, kind));

    /// <summary>The CPU the run is on (<c>bpf_get_smp_processor_id</c>).</summary>
    public int Cpu => _state.Cpu;

    /// <summary>
    /// Runs the program's function <paramref name="function"/> (a value the program loaded with <c>lddw rX, func</c>)
    /// with r1-r5 = the arguments and answers its r0: what <c>bpf_loop</c> and other callback helpers do.
    /// </summary>
    /// <exception cref="VmFaultException">The value is no function of the program, or the callback faulted.</exception>
    public unsafe ulong CallFunction(ulong function, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0)
    {
        if (!VmAddressSpace.TryGetFunction(function, _state.Image.Instructions.Length, out int slot) || _state.InvokeFunction == null)
            throw Fault($"0x{function:x} is no function of this program (a callback must come from lddw rX, func)", function);
        ulong* args = stackalloc ulong[5];
        (args[0], args[1], args[2], args[3], args[4]) = (a1, a2, a3, a4, a5);
        return _state.InvokeFunction(ref _state, slot, args);
    }

    /// <summary>
    /// The packet of a packet program (data to data_end of its frame), for the helpers that read and rewrite it;
    /// false for programs run without one.
    /// </summary>
    internal unsafe bool TryGetPacket(out Span<byte> packet)
    {
        PacketWindow* w = _state.Window;
        if (w == null || w->FrameRegion < 0)
        {
            packet = default;
            return false;
        }
        RegionEntry* frame = _state.Regions + VmAddressSpace.FirstHostRegion + w->FrameRegion;
        packet = new Span<byte>(frame->Host + w->Data, (int)(w->DataEnd - w->Data));
        return true;
    }

    /// <summary>
    /// The frame and window of a packet program, for the helpers that move the packet's ends (bpf_xdp_adjust_*):
    /// the whole frame region and a reference to the offsets they may change. False without a packet.
    /// </summary>
    internal unsafe bool TryGetFrame(out Span<byte> frame, out PacketWindow* window)
    {
        window = _state.Window;
        if (window == null || window->FrameRegion < 0)
        {
            frame = default;
            return false;
        }
        RegionEntry* region = _state.Regions + VmAddressSpace.FirstHostRegion + window->FrameRegion;
        frame = new Span<byte>(region->Host, (int)region->Length);
        return true;
    }

    /// <summary>The map behind a map handle argument (r1 of map helpers), or null when it is none.</summary>
    internal object? MapOf(ulong handle, out int index) =>
        VmAddressSpace.TryGetMapIndex(handle, _state.Image.Maps.Length, out index) ? _state.Image.Maps[index] : null;

    /// <summary>The handle index of <paramref name="map"/> in the program's table, or -1 when the program cannot reach it.</summary>
    internal int MapIndexOf(object map) => Array.IndexOf(_state.Image.Maps, map);

    /// <summary>The program address of <paramref name="pointer"/>, inside the value storage of map <paramref name="index"/>.</summary>
    internal unsafe ulong MapValueAddress(int index, byte* pointer)
    {
        VmMemoryRegion storage = _state.Image.MapRegions[index];
        return VmAddressSpace.SlotAddress(_state.MapRegionBase + index) + (ulong)(pointer - (byte*)storage.Pointer);
    }

    /// <summary>Which of the program's maps holds program address <paramref name="address"/> in its value storage, or -1.</summary>
    internal int MapIndexOfAddress(ulong address)
    {
        long index = (long)(address >> VmAddressSpace.RegionShift) - _state.MapRegionBase;
        return index >= 0 && index < _state.Image.MapRegions.Length ? (int)index : -1;
    }

    /// <summary>The host pointer behind a program address inside the value storage of map <paramref name="index"/>, or null.</summary>
    internal unsafe byte* MapValuePointer(int index, ulong address, int length)
    {
        if ((address >> VmAddressSpace.RegionShift) != (ulong)(_state.MapRegionBase + index)) return null;
        return MemoryAccess.TryTranslate(ref _state, address, (uint)length, VmMemoryAccess.Read);
    }

    /// <summary>Builds the fault that stops the program because the helper's arguments are invalid; throw it.</summary>
    /// <param name="detail">What was wrong with the arguments.</param>
    /// <param name="address">The offending address, if any.</param>
    public VmFaultException Fault(string detail, ulong address = 0) =>
        Faults.Create(ref _state, VmFaultReason.HelperFault, _state.Pc, address, detail);
}
