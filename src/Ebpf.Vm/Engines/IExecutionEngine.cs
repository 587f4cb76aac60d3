using Ebpf.Vm.Runtime;

namespace Ebpf.Vm.Engines;

/// <summary>
/// A loaded program prepared for one way of executing it. <see cref="VmProgram"/> chooses the engine at load
/// (<see cref="VmOptions.Engine"/>) and calls it for every run; engines build on the runtime core (memory
/// regions and checks, faults, the helper calling convention, ALU semantics) and on nothing above it.
/// </summary>
internal interface IExecutionEngine
{
    /// <summary>
    /// Runs the program over <paramref name="regions"/> (region <c>i</c> at <see cref="VmAddressSpace.RegionAddress(int)"/>
    /// of <c>i</c>) with r1 and r2 preset and returns r0 at the final <c>exit</c>. Safe to call from many
    /// threads at once; allocates nothing.
    /// </summary>
    /// <exception cref="VmFaultException">The program faulted.</exception>
    ulong Run(ReadOnlySpan<VmMemoryRegion> regions, ulong r1, ulong r2, ref PacketWindow window);
}
