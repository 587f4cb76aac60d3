namespace Ebpf.Asm;

/// <summary>The source bit of arithmetic and jump opcodes (bit 3).</summary>
public enum OperandSource : byte
{
    /// <summary>BPF_K: the operand is the 32-bit immediate.</summary>
    Immediate = 0x00,
    /// <summary>BPF_X: the operand is the source register.</summary>
    Register = 0x08,
}
