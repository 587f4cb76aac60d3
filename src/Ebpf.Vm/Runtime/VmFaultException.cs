namespace Ebpf.Vm;

/// <summary>
/// A running program did something the VM does not allow (an access outside its regions, too many instructions,
/// calls nested too deep...). The program is stopped; the host and the program's regions are left as they were
/// at the faulting instruction.
/// </summary>
public sealed class VmFaultException : Exception
{
    /// <summary>Creates the fault for the instruction at <paramref name="pc"/>.</summary>
    /// <param name="reason">Why the program was stopped.</param>
    /// <param name="pc">Slot index of the faulting instruction.</param>
    /// <param name="instructionText">Text of the faulting instruction.</param>
    /// <param name="address">The program address involved (0 when the fault is not about memory).</param>
    /// <param name="detail">A sentence saying what exactly went wrong.</param>
    public VmFaultException(VmFaultReason reason, int pc, string instructionText, ulong address, string detail)
        : base($"{reason} at pc {pc} ({instructionText}): {detail}")
    {
        Reason = reason;
        Pc = pc;
        InstructionText = instructionText;
        Address = address;
        Detail = detail;
    }

    /// <summary>Why the program was stopped.</summary>
    public VmFaultReason Reason { get; }

    /// <summary>Slot index of the faulting instruction.</summary>
    public int Pc { get; }

    /// <summary>Text of the faulting instruction.</summary>
    public string InstructionText { get; }

    /// <summary>The program (virtual) address of the faulting access; 0 for faults that are not about memory.</summary>
    public ulong Address { get; }

    /// <summary>What went wrong, without the position.</summary>
    public string Detail { get; }
}
