using System.Runtime.InteropServices;

namespace Ebpf.Asm;

/// <summary>
/// One 8-byte eBPF instruction slot, laid out exactly as the kernel's <c>struct bpf_insn</c>
/// (opcode, dst:4 | src:4, s16 offset, s32 imm), so a <c>Span&lt;Instruction&gt;</c> is the program's bytes.
/// A 64-bit immediate load (<c>lddw</c>) occupies two slots: see <see cref="LoadImm64(Register, ulong, LoadImmediateSource)"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1, Size = 8)]
public readonly struct Instruction : IEquatable<Instruction>
{
    /// <summary>Size of a slot in bytes.</summary>
    public const int Size = 8;

    private readonly byte _opcode;
    private readonly byte _registers;
    private readonly short _offset;
    private readonly int _immediate;

    /// <summary>Creates an instruction from its raw fields.</summary>
    /// <param name="opcode">The opcode.</param>
    /// <param name="destination">Destination register field (0-15 are encodable).</param>
    /// <param name="source">Source register field (0-15 are encodable).</param>
    /// <param name="offset">Signed 16-bit offset.</param>
    /// <param name="immediate">Signed 32-bit immediate.</param>
    public Instruction(OpCode opcode, Register destination = Register.R0, Register source = Register.R0, short offset = 0, int immediate = 0)
        : this(opcode.Value, (byte)(((byte)destination & 0x0f) | (((byte)source & 0x0f) << 4)), offset, immediate)
    {
    }

    private Instruction(byte opcode, byte registers, short offset, int immediate)
    {
        _opcode = opcode;
        _registers = registers;
        _offset = offset;
        _immediate = immediate;
    }

    /// <summary>The opcode.</summary>
    public OpCode OpCode => new(_opcode);

    /// <summary>The destination register field (low nibble). Values above 10 are encodable but invalid.</summary>
    public Register Destination => (Register)(_registers & 0x0f);

    /// <summary>The source register field (high nibble); for <c>lddw</c> and <c>call</c> a pseudo-source.</summary>
    public Register Source => (Register)(_registers >> 4);

    /// <summary>The signed 16-bit offset: jump distance in slots or memory displacement in bytes.</summary>
    public short Offset => _offset;

    /// <summary>The signed 32-bit immediate.</summary>
    public int Immediate => _immediate;

    /// <summary>Whether this is the first slot of a two-slot <c>lddw</c>.</summary>
    public bool IsLoadImm64 => _opcode == 0x18;

    /// <summary>Whether this is <c>exit</c>.</summary>
    public bool IsExit => _opcode == 0x95;

    /// <summary>Whether this is a call of a local function (<c>call</c> with BPF_PSEUDO_CALL).</summary>
    public bool IsLocalCall => _opcode == 0x85 && (_registers >> 4) == (byte)CallSource.Local;

    /// <summary>Whether this is a call of a helper by id.</summary>
    public bool IsHelperCall => _opcode == 0x85 && (_registers >> 4) == (byte)CallSource.Helper;

    /// <summary>Whether this is a call of a kernel function by BTF id.</summary>
    public bool IsKfuncCall => _opcode == 0x85 && (_registers >> 4) == (byte)CallSource.Kfunc;

    /// <summary>Returns a copy with another immediate.</summary>
    public Instruction WithImmediate(int immediate) => new(_opcode, _registers, _offset, immediate);

    /// <summary>Returns a copy with another offset.</summary>
    public Instruction WithOffset(short offset) => new(_opcode, _registers, offset, _immediate);

    /// <summary>Returns a copy with another source register field.</summary>
    public Instruction WithSource(Register source) => new(_opcode, (byte)((_registers & 0x0f) | (((byte)source & 0x0f) << 4)), _offset, _immediate);

    /// <summary>Returns a copy with another destination register field.</summary>
    public Instruction WithDestination(Register destination) => new(_opcode, (byte)((_registers & 0xf0) | ((byte)destination & 0x0f)), _offset, _immediate);

    /// <summary>The instruction as the 64-bit little-endian word the kernel reads.</summary>
    public ulong RawValue => _opcode | ((ulong)_registers << 8) | ((ulong)(ushort)_offset << 16) | ((ulong)(uint)_immediate << 32);

    /// <summary>Decodes a slot from its 64-bit little-endian word.</summary>
    public static Instruction FromRawValue(ulong raw) =>
        new((byte)raw, (byte)(raw >> 8), (short)(ushort)(raw >> 16), (int)(uint)(raw >> 32));

    /// <summary>Reads a slot from 8 little-endian bytes.</summary>
    public static Instruction Read(ReadOnlySpan<byte> bytes) =>
        FromRawValue(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes));

    /// <summary>Writes the slot as 8 little-endian bytes.</summary>
    public void Write(Span<byte> destination) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination, RawValue);

    // ---- factories: one per instruction form, used by the builder and by tests ----

    /// <summary>32- or 64-bit arithmetic with a register operand.</summary>
    public static Instruction Alu(AluOperation op, Register dst, Register src, bool is64 = true, short offset = 0) =>
        new(OpCode.Alu(is64 ? InstructionClass.Alu64 : InstructionClass.Alu, op, OperandSource.Register), dst, src, offset);

    /// <summary>32- or 64-bit arithmetic with an immediate operand.</summary>
    public static Instruction Alu(AluOperation op, Register dst, int imm, bool is64 = true, short offset = 0) =>
        new(OpCode.Alu(is64 ? InstructionClass.Alu64 : InstructionClass.Alu, op, OperandSource.Immediate), dst, Register.R0, offset, imm);

    /// <summary><c>dst = src</c> (64-bit).</summary>
    public static Instruction Mov(Register dst, Register src) => Alu(AluOperation.Mov, dst, src);

    /// <summary><c>dst = imm</c> (64-bit, imm sign-extended).</summary>
    public static Instruction Mov(Register dst, int imm) => Alu(AluOperation.Mov, dst, imm);

    /// <summary>Byte swap: <c>le16/32/64</c>, <c>be16/32/64</c> (ALU class) or unconditional <c>bswap</c> (ALU64 class).</summary>
    public static Instruction Endian(Register dst, int bits, ByteOrder order) => order switch
    {
        ByteOrder.LittleEndian => new(OpCode.Alu(InstructionClass.Alu, AluOperation.End, OperandSource.Immediate), dst, immediate: bits),
        ByteOrder.BigEndian => new(OpCode.Alu(InstructionClass.Alu, AluOperation.End, OperandSource.Register), dst, immediate: bits),
        _ => new(OpCode.Alu(InstructionClass.Alu64, AluOperation.End, OperandSource.Immediate), dst, immediate: bits),
    };

    /// <summary>Conditional jump comparing with a register; <paramref name="offset"/> counts slots after the next one.</summary>
    public static Instruction Jump(JumpOperation op, Register dst, Register src, short offset, bool is64 = true) =>
        new(OpCode.Jump(is64 ? InstructionClass.Jmp : InstructionClass.Jmp32, op, OperandSource.Register), dst, src, offset);

    /// <summary>Conditional jump comparing with an immediate.</summary>
    public static Instruction Jump(JumpOperation op, Register dst, int imm, short offset, bool is64 = true) =>
        new(OpCode.Jump(is64 ? InstructionClass.Jmp : InstructionClass.Jmp32, op, OperandSource.Immediate), dst, Register.R0, offset, imm);

    /// <summary><c>ja +offset</c>.</summary>
    public static Instruction Ja(short offset) => new(OpCode.Jump(InstructionClass.Jmp, JumpOperation.Ja, OperandSource.Immediate), offset: offset);

    /// <summary><c>gotol +imm</c> (ja32): unconditional jump with a 32-bit offset (v4).</summary>
    public static Instruction JaLong(int offset) => new(OpCode.Jump(InstructionClass.Jmp32, JumpOperation.Ja, OperandSource.Immediate), immediate: offset);

    /// <summary>Call a helper by id.</summary>
    public static Instruction CallHelper(int helperId) => new(OpCode.Call, immediate: helperId);

    /// <summary>Call a local function <paramref name="relativeOffset"/> slots after the next one.</summary>
    public static Instruction CallLocal(int relativeOffset) => new(OpCode.Call, Register.R0, (Register)CallSource.Local, 0, relativeOffset);

    /// <summary>Call a kernel function by BTF id; <paramref name="btfFdIndex"/> selects module BTF (0: vmlinux).</summary>
    public static Instruction CallKfunc(int btfId, short btfFdIndex = 0) => new(OpCode.Call, Register.R0, (Register)CallSource.Kfunc, btfFdIndex, btfId);

    /// <summary>Call the helper whose id is in <paramref name="target"/> (callx).</summary>
    public static Instruction CallRegister(Register target) => new(OpCode.CallX, target);

    /// <summary><c>exit</c>.</summary>
    public static Instruction Exit() => new(OpCode.Exit);

    /// <summary><c>dst = *(size *)(src + offset)</c>.</summary>
    public static Instruction LoadMemory(MemorySize size, Register dst, Register src, short offset) =>
        new(OpCode.Memory(InstructionClass.Ldx, MemoryMode.Mem, size), dst, src, offset);

    /// <summary><c>dst = *(signed size *)(src + offset)</c>, sign-extended (v4).</summary>
    public static Instruction LoadMemorySignExtend(MemorySize size, Register dst, Register src, short offset) =>
        new(OpCode.Memory(InstructionClass.Ldx, MemoryMode.MemSx, size), dst, src, offset);

    /// <summary><c>*(size *)(dst + offset) = src</c>.</summary>
    public static Instruction StoreRegister(MemorySize size, Register dst, short offset, Register src) =>
        new(OpCode.Memory(InstructionClass.Stx, MemoryMode.Mem, size), dst, src, offset);

    /// <summary><c>*(size *)(dst + offset) = imm</c>.</summary>
    public static Instruction StoreImmediate(MemorySize size, Register dst, short offset, int imm) =>
        new(OpCode.Memory(InstructionClass.St, MemoryMode.Mem, size), dst, Register.R0, offset, imm);

    /// <summary>Atomic read-modify-write of a word or double word at <c>dst + offset</c> with <paramref name="src"/>.</summary>
    public static Instruction Atomic(AtomicOperation op, MemorySize size, Register dst, short offset, Register src) =>
        new(OpCode.Memory(InstructionClass.Stx, MemoryMode.Atomic, size), dst, src, offset, (int)op);

    /// <summary>Legacy packet load <c>r0 = ntoh(*(size *)(skb->data + imm))</c>.</summary>
    public static Instruction LoadAbsolute(MemorySize size, int imm) =>
        new(OpCode.Memory(InstructionClass.Ld, MemoryMode.Abs, size), immediate: imm);

    /// <summary>Legacy packet load <c>r0 = ntoh(*(size *)(skb->data + src + imm))</c>.</summary>
    public static Instruction LoadIndirect(MemorySize size, Register src, int imm) =>
        new(OpCode.Memory(InstructionClass.Ld, MemoryMode.Ind, size), Register.R0, src, 0, imm);

    /// <summary>The two slots of <c>lddw dst, value</c>, with the pseudo-source telling the loader what the value is.</summary>
    public static (Instruction First, Instruction Second) LoadImm64(Register dst, ulong value, LoadImmediateSource source = LoadImmediateSource.Imm64) =>
        (new Instruction(OpCode.LoadImm64, dst, (Register)source, 0, (int)(uint)value),
         new Instruction(default, Register.R0, Register.R0, 0, (int)(uint)(value >> 32)));

    /// <summary>The 64-bit value of a <c>lddw</c> from its two slots.</summary>
    public static ulong Imm64(Instruction first, Instruction second) => (uint)first.Immediate | ((ulong)(uint)second.Immediate << 32);

    /// <inheritdoc />
    public bool Equals(Instruction other) => RawValue == other.RawValue;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Instruction other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => RawValue.GetHashCode();

    /// <summary>Equality of all fields.</summary>
    public static bool operator ==(Instruction left, Instruction right) => left.Equals(right);

    /// <summary>Inequality of any field.</summary>
    public static bool operator !=(Instruction left, Instruction right) => !left.Equals(right);

    /// <summary>The raw fields, for debugging; the disassemblers give the readable form.</summary>
    public override string ToString() =>
        $"{{op=0x{_opcode:x2} dst=r{_registers & 0xf} src=r{_registers >> 4} off={_offset} imm={_immediate}}}";
}
