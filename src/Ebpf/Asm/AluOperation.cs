namespace Ebpf.Asm;

/// <summary>Arithmetic operation: bits 4-7 of an ALU or ALU64 opcode.</summary>
public enum AluOperation : byte
{
    /// <summary>BPF_ADD: dst += src.</summary>
    Add = 0x00,
    /// <summary>BPF_SUB: dst -= src.</summary>
    Sub = 0x10,
    /// <summary>BPF_MUL: dst *= src.</summary>
    Mul = 0x20,
    /// <summary>BPF_DIV: dst /= src (unsigned; signed when offset is 1). Division by zero gives 0.</summary>
    Div = 0x30,
    /// <summary>BPF_OR: dst |= src.</summary>
    Or = 0x40,
    /// <summary>BPF_AND: dst &amp;= src.</summary>
    And = 0x50,
    /// <summary>BPF_LSH: dst &lt;&lt;= src, shift masked to the operand width.</summary>
    Lsh = 0x60,
    /// <summary>BPF_RSH: logical dst &gt;&gt;= src, shift masked to the operand width.</summary>
    Rsh = 0x70,
    /// <summary>BPF_NEG: dst = -dst.</summary>
    Neg = 0x80,
    /// <summary>BPF_MOD: dst %= src (unsigned; signed when offset is 1). Modulo by zero leaves dst.</summary>
    Mod = 0x90,
    /// <summary>BPF_XOR: dst ^= src.</summary>
    Xor = 0xa0,
    /// <summary>BPF_MOV: dst = src (sign-extending when offset is 8, 16 or 32).</summary>
    Mov = 0xb0,
    /// <summary>BPF_ARSH: arithmetic (sign-extending) dst &gt;&gt;= src.</summary>
    Arsh = 0xc0,
    /// <summary>BPF_END: byte swap; the immediate is the width (16, 32 or 64).</summary>
    End = 0xd0,
}
