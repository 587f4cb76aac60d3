using System.Globalization;
using System.Text;

namespace Ebpf.Asm.Formatting;

/// <summary>
/// Writes instructions in the assembler's own syntax (bpf_conformance/uBPF style), such that
/// <see cref="Assembler.Assemble(string)"/> of the text gives back the same bytes for every valid instruction.
/// Invalid slots are written as <c>.invalid 0x…  # reason</c>, which the assembler rejects with that reason.
/// </summary>
internal sealed class AsmSyntaxFormatter : IInstructionFormatter
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <inheritdoc />
    public void Format(ReadOnlySpan<Instruction> program, int index, StringBuilder output, DisassemblySymbols? symbols)
    {
        Instruction insn = program[index];
        string? reason = InstructionValidator.Validate(insn);
        if (reason is null && insn.IsLoadImm64)
            reason = index + 1 < program.Length ? InstructionValidator.ValidateLoadImm64Tail(program[index + 1]) : "lddw needs a second slot but the program ends";
        if (reason is not null)
        {
            output.Append(C, $".invalid 0x{insn.RawValue:x16}  # {reason}");
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
            case InstructionClass.Ld when op.Mode == MemoryMode.Imm:
                FormatLoadImm64(insn, program[index + 1], index, output, symbols);
                break;
            case InstructionClass.Ld:
                output.Append(op.Mode == MemoryMode.Abs ? "ldabs" : "ldind").Append(AsmMnemonics.Name(op.Size)).Append(' ');
                if (op.Mode == MemoryMode.Ind) output.Append(Reg(insn.Source)).Append(", ");
                output.Append(insn.Immediate.ToString(C));
                break;
            case InstructionClass.Ldx:
                output.Append(op.Mode == MemoryMode.MemSx ? "ldxs" : "ldx").Append(AsmMnemonics.Name(op.Size)).Append(' ')
                      .Append(Reg(insn.Destination)).Append(", ");
                AppendMemory(output, insn.Source, insn.Offset);
                break;
            case InstructionClass.St:
                output.Append("st").Append(AsmMnemonics.Name(op.Size)).Append(' ');
                AppendMemory(output, insn.Destination, insn.Offset);
                output.Append(", ").Append(insn.Immediate.ToString(C));
                break;
            default:
                FormatStx(insn, op, output);
                break;
        }
    }

    private static void FormatAlu(Instruction insn, OpCode op, StringBuilder output)
    {
        bool is64 = op.Class == InstructionClass.Alu64;
        string suffix = is64 ? "" : "32";
        switch (op.AluOperation)
        {
            case AluOperation.End:
                string name = is64 ? "bswap" : op.Source == OperandSource.Register ? "be" : "le";
                output.Append(name).Append(insn.Immediate.ToString(C)).Append(' ').Append(Reg(insn.Destination));
                return;
            case AluOperation.Neg:
                output.Append("neg").Append(suffix).Append(' ').Append(Reg(insn.Destination));
                return;
            case AluOperation.Mov when insn.Offset != 0:
                output.Append("movsx").Append(insn.Offset.ToString(C)).Append(is64 ? "64" : "32").Append(' ')
                      .Append(Reg(insn.Destination)).Append(", ").Append(Reg(insn.Source));
                return;
        }
        string stem = op.AluOperation switch
        {
            AluOperation.Div when insn.Offset == 1 => "sdiv",
            AluOperation.Mod when insn.Offset == 1 => "smod",
            _ => AsmMnemonics.Name(op.AluOperation),
        };
        output.Append(stem).Append(suffix).Append(' ').Append(Reg(insn.Destination)).Append(", ");
        output.Append(op.Source == OperandSource.Register ? Reg(insn.Source) : insn.Immediate.ToString(C));
    }

    private static void FormatJump(Instruction insn, OpCode op, int index, StringBuilder output, DisassemblySymbols? symbols)
    {
        bool is32 = op.Class == InstructionClass.Jmp32;
        switch (op.JumpOperation)
        {
            case JumpOperation.Exit:
                output.Append("exit");
                return;
            case JumpOperation.Call when op.Source == OperandSource.Register:
                output.Append("call ").Append(Reg(insn.Destination));
                return;
            case JumpOperation.Call when insn.IsLocalCall:
                output.Append("call local ");
                AppendTarget(output, index, insn.Immediate, symbols);
                return;
            case JumpOperation.Call when insn.IsKfuncCall:
                output.Append("call kfunc ").Append(insn.Immediate.ToString(C));
                if (insn.Offset != 0) output.Append(", ").Append(insn.Offset.ToString(C));
                return;
            case JumpOperation.Call:
                output.Append("call ").Append(insn.Immediate.ToString(C));
                return;
            case JumpOperation.Ja:
                output.Append(is32 ? "ja32 " : "ja ");
                AppendTarget(output, index, is32 ? insn.Immediate : insn.Offset, symbols);
                return;
        }
        output.Append(AsmMnemonics.Name(op.JumpOperation)).Append(is32 ? "32 " : " ").Append(Reg(insn.Destination)).Append(", ");
        output.Append(op.Source == OperandSource.Register ? Reg(insn.Source) : insn.Immediate.ToString(C)).Append(", ");
        AppendTarget(output, index, insn.Offset, symbols);
    }

    private static void FormatLoadImm64(Instruction first, Instruction second, int index, StringBuilder output, DisassemblySymbols? symbols)
    {
        output.Append("lddw ").Append(Reg(first.Destination)).Append(", ");
        var source = (LoadImmediateSource)first.Source;
        switch (source)
        {
            case LoadImmediateSource.Imm64:
                output.Append(C, $"0x{Instruction.Imm64(first, second):x}");
                return;
            case LoadImmediateSource.Func:
                output.Append("func ");
                // The callback's relative offset counts from the slot after the first one, like a call.
                AppendTarget(output, index, first.Immediate, symbols);
                if (second.Immediate != 0) output.Append(' ').Append(second.Immediate.ToString(C));
                return;
            default:
                output.Append(AsmMnemonics.Name(source)).Append(' ').Append(first.Immediate.ToString(C));
                if (second.Immediate != 0 || source is LoadImmediateSource.MapValue or LoadImmediateSource.MapIndexValue)
                    output.Append(' ').Append(second.Immediate.ToString(C));
                return;
        }
    }

    private static void FormatStx(Instruction insn, OpCode op, StringBuilder output)
    {
        if (op.Mode == MemoryMode.Mem)
        {
            output.Append("stx").Append(AsmMnemonics.Name(op.Size)).Append(' ');
            AppendMemory(output, insn.Destination, insn.Offset);
            output.Append(", ").Append(Reg(insn.Source));
            return;
        }
        var atomic = (AtomicOperation)insn.Immediate;
        output.Append("lock ");
        if (atomic.Fetches() && atomic is not (AtomicOperation.Exchange or AtomicOperation.CompareExchange)) output.Append("fetch ");
        output.Append(AsmMnemonics.Name(atomic)).Append(op.Size == MemorySize.Word ? "32 " : " ");
        AppendMemory(output, insn.Destination, insn.Offset);
        output.Append(", ").Append(Reg(insn.Source));
    }

    private static void AppendTarget(StringBuilder output, int index, int offset, DisassemblySymbols? symbols)
    {
        long target = (long)index + 1 + offset;
        if (symbols is not null && target is >= 0 and <= int.MaxValue && symbols.Labels.TryGetValue((int)target, out string? label) && Assembler.IsLabel(label))
        {
            output.Append(label);
            return;
        }
        output.Append(offset >= 0 ? "+" : "").Append(offset.ToString(C));
    }

    private static void AppendMemory(StringBuilder output, Register reg, short offset)
    {
        output.Append('[').Append(Reg(reg));
        if (offset > 0) output.Append('+').Append(offset.ToString(C));
        else if (offset < 0) output.Append(offset.ToString(C));
        output.Append(']');
    }

    private static string Reg(Register r) => r switch
    {
        Register.R0 => "%r0", Register.R1 => "%r1", Register.R2 => "%r2", Register.R3 => "%r3", Register.R4 => "%r4",
        Register.R5 => "%r5", Register.R6 => "%r6", Register.R7 => "%r7", Register.R8 => "%r8", Register.R9 => "%r9",
        _ => "%r10",
    };
}
