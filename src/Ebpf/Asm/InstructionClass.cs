namespace Ebpf.Asm;

/// <summary>The instruction class: the low three bits of every opcode (RFC 9669, section 3).</summary>
public enum InstructionClass : byte
{
    /// <summary>BPF_LD: non-standard loads (<c>lddw</c>, legacy packet access).</summary>
    Ld = 0x00,
    /// <summary>BPF_LDX: load into a register from memory.</summary>
    Ldx = 0x01,
    /// <summary>BPF_ST: store an immediate into memory.</summary>
    St = 0x02,
    /// <summary>BPF_STX: store a register into memory, and atomics.</summary>
    Stx = 0x03,
    /// <summary>BPF_ALU: 32-bit arithmetic.</summary>
    Alu = 0x04,
    /// <summary>BPF_JMP: 64-bit jumps, calls and exit.</summary>
    Jmp = 0x05,
    /// <summary>BPF_JMP32: 32-bit jumps.</summary>
    Jmp32 = 0x06,
    /// <summary>BPF_ALU64: 64-bit arithmetic.</summary>
    Alu64 = 0x07,
}
