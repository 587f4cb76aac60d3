namespace Ebpf.Asm;

/// <summary>
/// Writes programs in C# with symbolic labels:
/// <code>
/// Instruction[] program = new ProgramBuilder()
///     .Mov(Register.R0, 0)
///     .Label("loop")
///     .Add(Register.R0, 1)
///     .JumpIf(JumpOperation.Jlt, Register.R0, 10, "loop")
///     .Exit()
///     .Build();
/// </code>
/// Jumps, <c>ja32</c>, local calls and <c>lddw func</c> may name a label defined before or after them; offsets are
/// computed in slots (a <c>lddw</c> counts two) when <see cref="Build"/> is called.
/// </summary>
public sealed class ProgramBuilder
{
    private readonly List<Instruction> _slots = [];
    private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);
    private readonly List<(int Slot, string Label, TargetField Field)> _fixups = [];

    /// <summary>Number of slots written so far (the index the next instruction gets).</summary>
    public int Count => _slots.Count;

    /// <summary>Defines <paramref name="name"/> at the next instruction.</summary>
    /// <exception cref="ArgumentException">The label is already defined.</exception>
    public ProgramBuilder Label(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_labels.TryAdd(name, _slots.Count)) throw new ArgumentException($"label '{name}' is already defined at instruction {_labels[name]}", nameof(name));
        return this;
    }

    /// <summary>Appends a raw instruction slot.</summary>
    public ProgramBuilder Emit(Instruction instruction)
    {
        _slots.Add(instruction);
        return this;
    }

    // ---- arithmetic ----

    /// <summary><c>dst op= src</c>; <paramref name="is64"/> false for the 32-bit form.</summary>
    public ProgramBuilder Alu(AluOperation op, Register dst, Register src, bool is64 = true) => Emit(Instruction.Alu(op, dst, src, is64));

    /// <summary><c>dst op= imm</c>.</summary>
    public ProgramBuilder Alu(AluOperation op, Register dst, int imm, bool is64 = true) => Emit(Instruction.Alu(op, dst, imm, is64));

    /// <summary><c>dst = src</c>.</summary>
    public ProgramBuilder Mov(Register dst, Register src, bool is64 = true) => Alu(AluOperation.Mov, dst, src, is64);

    /// <summary><c>dst = imm</c>.</summary>
    public ProgramBuilder Mov(Register dst, int imm, bool is64 = true) => Alu(AluOperation.Mov, dst, imm, is64);

    /// <summary><c>dst = (sN)src</c>: sign-extending move of the low <paramref name="bits"/> (8, 16 or 32 for 64-bit; 8 or 16 for 32-bit).</summary>
    public ProgramBuilder MovSignExtend(Register dst, Register src, int bits, bool is64 = true) =>
        Emit(Instruction.Alu(AluOperation.Mov, dst, src, is64, checked((short)bits)));

    /// <summary><c>dst += src</c>.</summary>
    public ProgramBuilder Add(Register dst, Register src, bool is64 = true) => Alu(AluOperation.Add, dst, src, is64);

    /// <summary><c>dst += imm</c>.</summary>
    public ProgramBuilder Add(Register dst, int imm, bool is64 = true) => Alu(AluOperation.Add, dst, imm, is64);

    /// <summary><c>dst -= src</c>.</summary>
    public ProgramBuilder Sub(Register dst, Register src, bool is64 = true) => Alu(AluOperation.Sub, dst, src, is64);

    /// <summary><c>dst -= imm</c>.</summary>
    public ProgramBuilder Sub(Register dst, int imm, bool is64 = true) => Alu(AluOperation.Sub, dst, imm, is64);

    /// <summary>Signed division <c>dst s/= src</c> (v4).</summary>
    public ProgramBuilder SignedDiv(Register dst, Register src, bool is64 = true) => Emit(Instruction.Alu(AluOperation.Div, dst, src, is64, 1));

    /// <summary>Signed division <c>dst s/= imm</c> (v4).</summary>
    public ProgramBuilder SignedDiv(Register dst, int imm, bool is64 = true) => Emit(Instruction.Alu(AluOperation.Div, dst, imm, is64, 1));

    /// <summary>Signed modulo <c>dst s%= src</c> (v4).</summary>
    public ProgramBuilder SignedMod(Register dst, Register src, bool is64 = true) => Emit(Instruction.Alu(AluOperation.Mod, dst, src, is64, 1));

    /// <summary>Signed modulo <c>dst s%= imm</c> (v4).</summary>
    public ProgramBuilder SignedMod(Register dst, int imm, bool is64 = true) => Emit(Instruction.Alu(AluOperation.Mod, dst, imm, is64, 1));

    /// <summary><c>dst = -dst</c>.</summary>
    public ProgramBuilder Neg(Register dst, bool is64 = true) => Emit(Instruction.Alu(AluOperation.Neg, dst, 0, is64));

    /// <summary>Byte swap of the low <paramref name="bits"/> (16, 32, 64).</summary>
    public ProgramBuilder Endian(Register dst, int bits, ByteOrder order) => Emit(Instruction.Endian(dst, bits, order));

    // ---- memory ----

    /// <summary><c>dst = *(size *)(src + offset)</c>.</summary>
    public ProgramBuilder Load(MemorySize size, Register dst, Register src, short offset = 0) => Emit(Instruction.LoadMemory(size, dst, src, offset));

    /// <summary><c>dst = *(signed size *)(src + offset)</c> (v4).</summary>
    public ProgramBuilder LoadSignExtend(MemorySize size, Register dst, Register src, short offset = 0) =>
        Emit(Instruction.LoadMemorySignExtend(size, dst, src, offset));

    /// <summary><c>*(size *)(dst + offset) = src</c>.</summary>
    public ProgramBuilder Store(MemorySize size, Register dst, short offset, Register src) => Emit(Instruction.StoreRegister(size, dst, offset, src));

    /// <summary><c>*(size *)(dst + offset) = imm</c>.</summary>
    public ProgramBuilder Store(MemorySize size, Register dst, short offset, int imm) => Emit(Instruction.StoreImmediate(size, dst, offset, imm));

    /// <summary>Atomic operation on a word or double word at <c>dst + offset</c>.</summary>
    public ProgramBuilder Atomic(AtomicOperation op, MemorySize size, Register dst, short offset, Register src) =>
        Emit(Instruction.Atomic(op, size, dst, offset, src));

    /// <summary><c>lddw dst, value</c> (two slots) with an optional pseudo source.</summary>
    public ProgramBuilder LoadImm64(Register dst, ulong value, LoadImmediateSource source = LoadImmediateSource.Imm64)
    {
        var (first, second) = Instruction.LoadImm64(dst, value, source);
        return Emit(first).Emit(second);
    }

    /// <summary>
    /// <c>lddw dst, SOURCE imm nextImm</c>: a pseudo load whose two 32-bit immediates the loader interprets, e.g.
    /// <c>LoadImm64(R1, LoadImmediateSource.MapValue, mapFd, offsetInValue)</c> (BPF_PSEUDO_MAP_VALUE).
    /// </summary>
    public ProgramBuilder LoadImm64(Register dst, LoadImmediateSource source, int imm, int nextImm = 0) =>
        LoadImm64(dst, (uint)imm | ((ulong)(uint)nextImm << 32), source);

    /// <summary><c>lddw dst, map_fd fd</c>: the address of the map behind a file descriptor (BPF_PSEUDO_MAP_FD).</summary>
    public ProgramBuilder LoadMapFd(Register dst, int mapFd) => LoadImm64(dst, LoadImmediateSource.MapFd, mapFd);

    /// <summary><c>lddw dst, func label</c>: the address of a local function, for callbacks (BPF_PSEUDO_FUNC).</summary>
    public ProgramBuilder LoadFunction(Register dst, string label)
    {
        _fixups.Add((_slots.Count, label, TargetField.Immediate));
        return LoadImm64(dst, 0, LoadImmediateSource.Func);
    }

    /// <summary>Legacy packet load at an absolute offset.</summary>
    public ProgramBuilder LoadAbsolute(MemorySize size, int offset) => Emit(Instruction.LoadAbsolute(size, offset));

    /// <summary>Legacy packet load at <c>src + offset</c>.</summary>
    public ProgramBuilder LoadIndirect(MemorySize size, Register src, int offset) => Emit(Instruction.LoadIndirect(size, src, offset));

    // ---- control flow ----

    /// <summary><c>ja label</c>.</summary>
    public ProgramBuilder Jump(string label) => Fixup(Instruction.Ja(0), label, TargetField.Offset);

    /// <summary><c>gotol label</c> (ja32): unconditional jump with a 32-bit offset (v4).</summary>
    public ProgramBuilder JumpLong(string label) => Fixup(Instruction.JaLong(0), label, TargetField.Immediate);

    /// <summary><c>if dst op src goto label</c>; <paramref name="is64"/> false for the JMP32 form (compares the low 32 bits).</summary>
    /// <exception cref="ArgumentException"><paramref name="op"/> is not a conditional jump (ja, call, exit have their own methods).</exception>
    public ProgramBuilder JumpIf(JumpOperation op, Register dst, Register src, string label, bool is64 = true) =>
        Fixup(Instruction.Jump(Conditional(op), dst, src, 0, is64), label, TargetField.Offset);

    /// <summary><c>if dst op imm goto label</c>; <paramref name="is64"/> false for the JMP32 form.</summary>
    /// <exception cref="ArgumentException"><paramref name="op"/> is not a conditional jump.</exception>
    public ProgramBuilder JumpIf(JumpOperation op, Register dst, int imm, string label, bool is64 = true) =>
        Fixup(Instruction.Jump(Conditional(op), dst, imm, 0, is64), label, TargetField.Offset);

    /// <summary>Calls helper <paramref name="helperId"/>.</summary>
    public ProgramBuilder Call(int helperId) => Emit(Instruction.CallHelper(helperId));

    /// <summary>Calls the local function at <paramref name="label"/> (bpf-to-bpf call).</summary>
    public ProgramBuilder CallLocal(string label) => Fixup(Instruction.CallLocal(0), label, TargetField.Immediate);

    /// <summary>Calls a kernel function by BTF id.</summary>
    public ProgramBuilder CallKfunc(int btfId, short moduleIndex = 0) => Emit(Instruction.CallKfunc(btfId, moduleIndex));

    /// <summary>Calls the helper whose id is in <paramref name="target"/> (callx).</summary>
    public ProgramBuilder CallRegister(Register target) => Emit(Instruction.CallRegister(target));

    /// <summary><c>exit</c>.</summary>
    public ProgramBuilder Exit() => Emit(Instruction.Exit());

    /// <summary>Resolves labels and returns the program.</summary>
    /// <exception cref="InvalidOperationException">A label is used but never defined, or a jump is out of range.</exception>
    public Instruction[] Build()
    {
        Instruction[] program = [.. _slots];
        foreach ((int slot, string label, TargetField field) in _fixups)
        {
            if (!_labels.TryGetValue(label, out int target))
                throw new InvalidOperationException($"label '{label}' used at instruction {slot} is never defined");
            int offset = target - (slot + 1);
            if (field == TargetField.Offset && offset is < short.MinValue or > short.MaxValue)
                throw new InvalidOperationException($"jump at instruction {slot} to '{label}' is {offset} slots away; ja/jcc reach -32768..32767 (use JumpLong)");
            program[slot] = field == TargetField.Offset ? program[slot].WithOffset((short)offset) : program[slot].WithImmediate(offset);
        }
        return program;
    }

    private static JumpOperation Conditional(JumpOperation op) =>
        op is JumpOperation.Ja or JumpOperation.Call or JumpOperation.Exit || !AsmMnemonics.Jumps.Values.Contains(op)
            ? throw new ArgumentException($"{op} is not a conditional jump; use Jump, JumpLong, Call* or Exit", nameof(op))
            : op;

    private ProgramBuilder Fixup(Instruction insn, string label, TargetField field)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        _fixups.Add((_slots.Count, label, field));
        return Emit(insn);
    }
}
