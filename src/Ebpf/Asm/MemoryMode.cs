namespace Ebpf.Asm;

/// <summary>Addressing mode: bits 5-7 of a load or store opcode.</summary>
public enum MemoryMode : byte
{
    /// <summary>BPF_IMM: 64-bit immediate load (<c>lddw</c>, two slots).</summary>
    Imm = 0x00,
    /// <summary>BPF_ABS: legacy packet load at an absolute offset (socket filters).</summary>
    Abs = 0x20,
    /// <summary>BPF_IND: legacy packet load at src + imm (socket filters).</summary>
    Ind = 0x40,
    /// <summary>BPF_MEM: regular load or store at reg + offset.</summary>
    Mem = 0x60,
    /// <summary>BPF_MEMSX: sign-extending load (v4).</summary>
    MemSx = 0x80,
    /// <summary>BPF_ATOMIC: atomic read-modify-write; the operation is in imm.</summary>
    Atomic = 0xc0,
}
