namespace Ebpf.Vm;

/// <summary>How the VM executes a loaded program (<see cref="VmOptions.Engine"/>).</summary>
/// <remarks>
/// Every engine runs the same program the same way: the same <see cref="VmFaultException"/>s for the same
/// accesses, the same results for every ALU and jump (they share one definition of each), the same helpers.
/// A JIT to IL is next.
/// </remarks>
public enum VmEngine
{
    /// <summary>
    /// A dispatch loop over instructions pre-decoded at load; every memory access is checked against the run's
    /// regions when it happens. Starts instantly; about 1-1.5 ns per executed instruction.
    /// </summary>
    Interpreter,
}
