namespace Ebpf.Vm;

/// <summary>Why the VM stopped a running program. Division by zero is not here: RFC 9669 defines its result.</summary>
public enum VmFaultReason
{
    /// <summary>A load, store or atomic touched bytes outside every region the program was given.</summary>
    OutOfBounds,
    /// <summary>A store or atomic targeted a region the host gave as read-only.</summary>
    WriteToReadOnly,
    /// <summary>An atomic operation on an address that is not a multiple of its width (the kernel rejects these too).</summary>
    MisalignedAtomic,
    /// <summary>The program executed more instructions than <see cref="VmOptions.InstructionBudget"/> allows.</summary>
    BudgetExceeded,
    /// <summary>A bpf-to-bpf call would nest deeper than <see cref="VmAddressSpace.MaxCallDepth"/> frames.</summary>
    CallDepthExceeded,
    /// <summary><c>callx</c> named a helper id the helper table does not hold.</summary>
    UnknownHelper,
    /// <summary>A helper mapped more regions than one run can hold (<see cref="VmAddressSpace.MaxRegions"/>).</summary>
    TooManyRegions,
    /// <summary>A helper reported that its arguments were invalid (see <see cref="Helpers.HelperContext.Fault"/>).</summary>
    HelperFault,
    /// <summary>The dispatch loop met an opcode it has no case for; load-time checks make this unreachable.</summary>
    InvalidInstruction,
}
