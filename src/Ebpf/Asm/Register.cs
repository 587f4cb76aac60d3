namespace Ebpf.Asm;

/// <summary>An eBPF register: r0-r9 general purpose, r10 the read-only frame pointer.</summary>
public enum Register : byte
{
    /// <summary>Return value of functions and of the program.</summary>
    R0 = 0,
    /// <summary>First argument; the context on entry.</summary>
    R1,
    /// <summary>Second argument.</summary>
    R2,
    /// <summary>Third argument.</summary>
    R3,
    /// <summary>Fourth argument.</summary>
    R4,
    /// <summary>Fifth argument.</summary>
    R5,
    /// <summary>Callee-saved.</summary>
    R6,
    /// <summary>Callee-saved.</summary>
    R7,
    /// <summary>Callee-saved.</summary>
    R8,
    /// <summary>Callee-saved.</summary>
    R9,
    /// <summary>The frame pointer: read-only, points at the top of the 512-byte stack.</summary>
    R10,
}
