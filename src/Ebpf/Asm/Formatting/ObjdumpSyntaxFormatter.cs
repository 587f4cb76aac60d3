using System.Globalization;
using System.Text;

namespace Ebpf.Asm.Formatting;

/// <summary>
/// Writes instructions as <c>llvm-objdump -d --no-show-raw-insn</c> (LLVM 14) prints BPF code: C-like pseudo code
/// (<c>r0 = *(u32 *)(r1 + 4)</c>, <c>if w1 s&gt; 5 goto +1</c>, <c>r1 = 0 ll</c>). Immediates are decimal as in LLVM 14,
/// or hexadecimal as with <c>--print-imm-hex</c> (the default of LLVM 15 and later).
/// </summary>
/// <remarks>
/// Where LLVM 14 has no text for a valid instruction (BPF_ST, BPF_JSET, BPF_MOD, 32-bit atomics other than
/// <c>lock +=</c>, and the v4 additions sdiv/smod, movsx, ldsx, bswap, gotol) the syntax of later LLVM releases is
/// used; <see cref="NeedsNewerLlvm"/> names those. <c>callx</c> prints the register in <c>dst</c>, where the kernel
/// reads it (LLVM 14 reads it from <c>imm</c>). Slots <see cref="InstructionValidator"/> rejects print
/// <c>&lt;unknown&gt;</c>, as llvm-objdump prints slots it cannot decode.
/// </remarks>
internal sealed class ObjdumpSyntaxFormatter(bool hexImmediates) : IInstructionFormatter
{
    /// <summary>What llvm-objdump prints for a slot it cannot decode.</summary>
    public const string Unknown = "<unknown>";

    /// <summary>Decimal immediates, as LLVM 14 prints by default.</summary>
    public static ObjdumpSyntaxFormatter Decimal { get; } = new(hexImmediates: false);

    /// <summary>Hexadecimal immediates, as <c>--print-imm-hex</c> (default since LLVM 15).</summary>
    public static ObjdumpSyntaxFormatter Hex { get; } = new(hexImmediates: true);

    /// <inheritdoc />
    public void Format(ReadOnlySpan<Instruction> program, int index, StringBuilder output, DisassemblySymbols? symbols)
    {
        if ((uint)index >= (uint)program.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the program has {program.Length} slots");
        Instruction insn = program[index];
        if (InstructionValidator.Validate(insn) is not null)
        {
            output.Append(Unknown);
            return;
        }
        OpCode op = insn.OpCode;
        switch (op.Class)
        {
            case InstructionClass.Alu or InstructionClass.Alu64:
                FormatAlu(insn, op, output);
                break;
            case InstructionClass.Jmp or InstructionClass.Jmp32:
                FormatJump(insn, op, index, output, symbols);
                break;
            case InstructionClass.Ld:
                FormatLd(program, index, op, output);
                break;
            case InstructionClass.Ldx:
                output.Append(Reg(insn.Destination, wide: true)).Append(" = *(")
                      .Append(op.Mode == MemoryMode.MemSx ? 's' : 'u').Append(Bits(op.Size)).Append(" *)");
                Address(insn.Source, insn.Offset, output);
                break;
            case InstructionClass.St:
                output.Append("*(u").Append(Bits(op.Size)).Append(" *)");
                Address(insn.Destination, insn.Offset, output);
                output.Append(" = ");
                Imm(insn.Immediate, output);
                break;
            default:
                if (op.Mode == MemoryMode.Atomic) FormatAtomic(insn, op, output);
                else
                {
                    output.Append("*(u").Append(Bits(op.Size)).Append(" *)");
                    Address(insn.Destination, insn.Offset, output);
                    output.Append(" = ").Append(Reg(insn.Source, wide: true));
                }
                break;
        }
    }

    /// <summary>
    /// Whether LLVM 14's llvm-objdump has no (or a wrong) text for this valid instruction, so the formatter uses the
    /// syntax of a later LLVM release.
    /// </summary>
    public static bool NeedsNewerLlvm(in Instruction insn)
    {
        OpCode op = insn.OpCode;
        return op.Class switch
        {
            InstructionClass.Alu or InstructionClass.Alu64 =>
                op.AluOperation == AluOperation.Mod
                || (op.AluOperation is AluOperation.Div && insn.Offset != 0)
                || (op.AluOperation is AluOperation.Mov && insn.Offset != 0)
                || (op.AluOperation is AluOperation.End && op.Class == InstructionClass.Alu64),
            InstructionClass.Jmp or InstructionClass.Jmp32 =>
                op.JumpOperation == JumpOperation.Jset
                || (op.JumpOperation == JumpOperation.Ja && op.Class == InstructionClass.Jmp32)
                || op == OpCode.CallX,
            InstructionClass.Ldx => op.Mode == MemoryMode.MemSx,
            InstructionClass.St => true,
            InstructionClass.Stx => op.Mode == MemoryMode.Atomic && op.Size == MemorySize.Word && insn.Immediate != (int)AtomicOperation.Add,
            _ => false,
        };
    }

    private void FormatAlu(in Instruction insn, OpCode op, StringBuilder output)
    {
        bool wide = op.Class == InstructionClass.Alu64;
        string dst = Reg(insn.Destination, wide);
        bool reg = op.Source == OperandSource.Register;
        switch (op.AluOperation)
        {
            case AluOperation.Neg:
                output.Append(dst).Append(" = -").Append(dst);
                return;
            case AluOperation.End:
                string r = Reg(insn.Destination, wide: true);
                string kind = wide ? "bswap" : reg ? "be" : "le";
                output.Append(r).Append(" = ").Append(kind).Append(insn.Immediate.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(r);
                return;
            case AluOperation.Mov when insn.Offset != 0:
                output.Append(dst).Append(" = (s").Append(insn.Offset.ToString(CultureInfo.InvariantCulture)).Append(')').Append(Reg(insn.Source, wide));
                return;
        }
        output.Append(dst).Append(' ');
        if (insn.Offset == 1 && op.AluOperation is AluOperation.Div or AluOperation.Mod) output.Append('s');
        output.Append(op.AluOperation switch
        {
            AluOperation.Add => "+=",
            AluOperation.Sub => "-=",
            AluOperation.Mul => "*=",
            AluOperation.Div => "/=",
            AluOperation.Or => "|=",
            AluOperation.And => "&=",
            AluOperation.Lsh => "<<=",
            AluOperation.Rsh => ">>=",
            AluOperation.Mod => "%=",
            AluOperation.Xor => "^=",
            AluOperation.Mov => "=",
            _ => "s>>=",
        }).Append(' ');
        if (reg) output.Append(Reg(insn.Source, wide));
        else Imm(insn.Immediate, output);
    }

    private void FormatJump(in Instruction insn, OpCode op, int index, StringBuilder output, DisassemblySymbols? symbols)
    {
        bool wide = op.Class == InstructionClass.Jmp;
        switch (op.JumpOperation)
        {
            case JumpOperation.Exit:
                output.Append("exit");
                return;
            case JumpOperation.Call:
                if (op.Source == OperandSource.Register) output.Append("callx ").Append(Reg(insn.Destination, wide: true));
                else Imm(insn.Immediate, output.Append("call "));
                return;
            case JumpOperation.Ja when !wide:
                output.Append("gotol ");
                Target(index, insn.Immediate, output, symbols);
                return;
            case JumpOperation.Ja:
                output.Append("goto ");
                Target(index, insn.Offset, output, symbols);
                return;
        }
        output.Append("if ").Append(Reg(insn.Destination, wide)).Append(' ').Append(op.JumpOperation switch
        {
            JumpOperation.Jeq => "==",
            JumpOperation.Jgt => ">",
            JumpOperation.Jge => ">=",
            JumpOperation.Jset => "&",
            JumpOperation.Jne => "!=",
            JumpOperation.Jsgt => "s>",
            JumpOperation.Jsge => "s>=",
            JumpOperation.Jlt => "<",
            JumpOperation.Jle => "<=",
            JumpOperation.Jslt => "s<",
            _ => "s<=",
        }).Append(' ');
        if (op.Source == OperandSource.Register) output.Append(Reg(insn.Source, wide));
        else Imm(insn.Immediate, output);
        output.Append(" goto ");
        Target(index, insn.Offset, output, symbols);
    }

    private void FormatLd(ReadOnlySpan<Instruction> program, int index, OpCode op, StringBuilder output)
    {
        Instruction insn = program[index];
        if (op.Mode == MemoryMode.Imm)
        {
            if (index + 1 >= program.Length)
            {
                output.Append(Unknown);   // llvm-objdump cannot read the second half either
                return;
            }
            // LLVM reads only the immediate of the second slot; the loader rejects other bits, the disassembler shows them.
            ulong value = Instruction.Imm64(insn, program[index + 1]);
            if (insn.Source == 0)
            {
                output.Append(Reg(insn.Destination, wide: true)).Append(" = ");
                Imm((long)value, output);
                output.Append(" ll");
            }
            else
            {
                output.Append("ld_pseudo\t").Append(Reg(insn.Destination, wide: true)).Append(", ");
                Imm((int)insn.Source, output);
                output.Append(", ");
                Imm((uint)insn.Immediate, output);
            }
            return;
        }
        output.Append("r0 = *(u").Append(Bits(op.Size)).Append(" *)skb[");
        // LLVM prints only the register of BPF_IND (the kernel adds imm to it).
        if (op.Mode == MemoryMode.Ind) output.Append(Reg(insn.Source, wide: true));
        else Imm(insn.Immediate, output);
        output.Append(']');
    }

    private void FormatAtomic(in Instruction insn, OpCode op, StringBuilder output)
    {
        bool wide = op.Size == MemorySize.DoubleWord;
        int bits = wide ? 64 : 32;
        var atomic = (AtomicOperation)insn.Immediate;
        // LLVM 14 without +alu32 names the source of a 32-bit lock add as a 64-bit register; keep that.
        string src = Reg(insn.Source, wide || atomic == AtomicOperation.Add);
        switch (atomic)
        {
            case AtomicOperation.Exchange:
                output.Append(src).Append(" = xchg").Append(wide ? "_64(" : "32_32(");
                AddressOperand(insn.Destination, insn.Offset, output);
                output.Append(", ").Append(src).Append(')');
                return;
            case AtomicOperation.CompareExchange:
                string r0 = Reg(Register.R0, wide);
                output.Append(r0).Append(" = cmpxchg").Append(wide ? "_64(" : "32_32(");
                AddressOperand(insn.Destination, insn.Offset, output);
                output.Append(", ").Append(r0).Append(", ").Append(src).Append(')');
                return;
        }
        string name = ((int)atomic & ~AtomicOperationExtensions.FetchFlag) switch
        {
            (int)AtomicOperation.Add => "add",
            (int)AtomicOperation.Or => "or",
            (int)AtomicOperation.And => "and",
            _ => "xor",
        };
        if (atomic.Fetches())
        {
            output.Append(src).Append(" = atomic_fetch_").Append(name).Append("((u").Append(bits).Append(" *)");
            Address(insn.Destination, insn.Offset, output);
            output.Append(", ").Append(src).Append(')');
            return;
        }
        output.Append("lock *(u").Append(bits).Append(" *)");
        Address(insn.Destination, insn.Offset, output);
        output.Append(name switch { "add" => " += ", "or" => " |= ", "and" => " &= ", _ => " ^= " }).Append(src);
    }

    // "+3 <LBB0_2>": the relative offset as LLVM prints it, then the label of the target when one is known.
    private void Target(int index, long offset, StringBuilder output, DisassemblySymbols? symbols)
    {
        if (offset >= 0) output.Append('+');
        Imm(offset, output);
        long target = index + 1 + offset;
        if (symbols is not null && target is >= 0 and <= int.MaxValue && symbols.Labels.TryGetValue((int)target, out string? label))
            output.Append(" <").Append(label).Append('>');
    }

    private void Address(Register baseRegister, short offset, StringBuilder output)
    {
        output.Append('(');
        AddressOperand(baseRegister, offset, output);
        output.Append(')');
    }

    private void AddressOperand(Register baseRegister, short offset, StringBuilder output)
    {
        output.Append(Reg(baseRegister, wide: true)).Append(offset < 0 ? " - " : " + ");
        Imm(Math.Abs((int)offset), output);
    }

    private void Imm(long value, StringBuilder output)
    {
        if (!hexImmediates)
        {
            output.Append(value.ToString(CultureInfo.InvariantCulture));
            return;
        }
        // LLVM's formatHex: a sign, then the magnitude; long.MinValue's magnitude is its own bit pattern.
        if (value < 0) output.Append('-');
        ulong magnitude = value < 0 ? (ulong)-(value + 1) + 1 : (ulong)value;
        output.Append("0x").Append(magnitude.ToString("x", CultureInfo.InvariantCulture));
    }

    private static string Reg(Register register, bool wide) => (wide ? RegisterNames64 : RegisterNames32)[(int)register];

    private static int Bits(MemorySize size) => size.Bytes() * 8;

    private static readonly string[] RegisterNames64 = ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];
    private static readonly string[] RegisterNames32 = ["w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "w10", "w11", "w12", "w13", "w14", "w15"];
}
