namespace Ebpf.Asm;

/// <summary>
/// The 8-bit opcode of an instruction, with typed views of its fields. The meaning of bits 3-7 depends on
/// <see cref="Class"/>: arithmetic and jumps have operation + source; loads and stores have mode + size.
/// </summary>
public readonly record struct OpCode(byte Value)
{
    /// <summary>The instruction class (bits 0-2).</summary>
    public InstructionClass Class => (InstructionClass)(Value & 0x07);

    /// <summary>Whether the class is ALU or ALU64.</summary>
    public bool IsAlu => Class is InstructionClass.Alu or InstructionClass.Alu64;

    /// <summary>Whether the class is JMP or JMP32.</summary>
    public bool IsJump => Class is InstructionClass.Jmp or InstructionClass.Jmp32;

    /// <summary>Whether the class is a load or store (LD, LDX, ST, STX).</summary>
    public bool IsMemory => Class is InstructionClass.Ld or InstructionClass.Ldx or InstructionClass.St or InstructionClass.Stx;

    /// <summary>The source bit of an ALU or jump opcode.</summary>
    public OperandSource Source => (OperandSource)(Value & 0x08);

    /// <summary>The arithmetic operation (meaningful for ALU and ALU64).</summary>
    public AluOperation AluOperation => (AluOperation)(Value & 0xf0);

    /// <summary>The jump operation (meaningful for JMP and JMP32).</summary>
    public JumpOperation JumpOperation => (JumpOperation)(Value & 0xf0);

    /// <summary>The addressing mode (meaningful for loads and stores).</summary>
    public MemoryMode Mode => (MemoryMode)(Value & 0xe0);

    /// <summary>The access width (meaningful for loads and stores).</summary>
    public MemorySize Size => (MemorySize)(Value & 0x18);

    /// <summary>An arithmetic opcode.</summary>
    public static OpCode Alu(InstructionClass cls, AluOperation op, OperandSource source) =>
        new((byte)((byte)cls | (byte)op | (byte)source));

    /// <summary>A jump opcode.</summary>
    public static OpCode Jump(InstructionClass cls, JumpOperation op, OperandSource source) =>
        new((byte)((byte)cls | (byte)op | (byte)source));

    /// <summary>A load or store opcode.</summary>
    public static OpCode Memory(InstructionClass cls, MemoryMode mode, MemorySize size) =>
        new((byte)((byte)cls | (byte)mode | (byte)size));

    /// <summary><c>lddw</c>: BPF_LD | BPF_IMM | BPF_DW (0x18).</summary>
    public static OpCode LoadImm64 => new(0x18);

    /// <summary><c>exit</c>: BPF_JMP | BPF_EXIT (0x95).</summary>
    public static OpCode Exit => new(0x95);

    /// <summary><c>call</c>: BPF_JMP | BPF_CALL (0x85).</summary>
    public static OpCode Call => new(0x85);

    /// <summary><c>callx</c>: BPF_JMP | BPF_CALL | BPF_X (0x8d), helper id in the destination register.</summary>
    public static OpCode CallX => new(0x8d);

    /// <inheritdoc />
    public override string ToString() => $"0x{Value:x2}";
}
