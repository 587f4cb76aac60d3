namespace Ebpf.Vm.Runtime;

/// <summary>
/// The state of one run that memory checks, helpers and faults need, whatever the engine. Lives on the stack of
/// the run; helpers reach it through a <c>ref</c> in <see cref="Helpers.HelperContext"/>, so nothing is allocated
/// per run.
/// </summary>
internal unsafe struct ExecutionState
{
    /// <summary>The program being run.</summary>
    public ProgramImage Image;

    /// <summary>The region table (<see cref="VmAddressSpace.MaxRegions"/> slots, stack-allocated).</summary>
    public RegionEntry* Regions;

    /// <summary>Slots in use; addresses whose slot is not below this fault.</summary>
    public int RegionCount;

    /// <summary>Table slot of the packet for <c>ldabs</c>/<c>ldind</c>, or -1.</summary>
    public int PacketRegion;

    /// <summary>Slot index of the instruction calling a helper (set before each helper call).</summary>
    public int Pc;

    /// <summary>Table slot of the first map's value storage (the maps follow in handle order).</summary>
    public int MapRegionBase;

    /// <summary>The CPU the run is on, as <c>bpf_get_smp_processor_id</c> and per-CPU maps see it.</summary>
    public int Cpu;

    /// <summary>The packet of packet programs (the caller's, updated in place by packet helpers).</summary>
    public PacketWindow* Window;

    /// <summary>The run's stack frames (<see cref="VmAddressSpace.MaxCallDepth"/> of them).</summary>
    public byte* Stack;

    /// <summary>Instructions left in the run's budget (kept here across helper calls, so callbacks share it).</summary>
    public long Budget;

    /// <summary>Call depth of the instruction calling a helper.</summary>
    public int Depth;

    /// <summary>The engine's way to run a function of the program for a helper (callbacks): slot, five arguments, r0.</summary>
    public delegate*<ref ExecutionState, int, ulong*, ulong> InvokeFunction;
}
