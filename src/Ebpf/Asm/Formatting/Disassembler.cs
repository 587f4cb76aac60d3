using System.Text;
using Ebpf.Asm.Formatting;

namespace Ebpf.Asm;

/// <summary>Turns instructions into text, in the LLVM syntax or the assembler's own.</summary>
public static class Disassembler
{
    private static readonly IInstructionFormatter Conformance = new AsmSyntaxFormatter();

    /// <summary>The text of the instruction at <paramref name="index"/> (a <c>lddw</c> reads the next slot too).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the program.</exception>
    public static string Format(ReadOnlySpan<Instruction> program, int index, DisassemblyOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, program.Length);
        var text = new StringBuilder();
        options ??= DisassemblyOptions.Default;
        FormatterFor(options).Format(program, index, text, options.Symbols);
        if (options.Annotate) AppendAnnotation(program, index, text, options);
        return text.ToString();
    }

    /// <summary>
    /// Every instruction of <paramref name="program"/> with its slot index; the second slot of a <c>lddw</c>
    /// produces no entry, an incomplete one at the end is reported as invalid rather than read past the end.
    /// </summary>
    public static IReadOnlyList<DisassembledInstruction> Disassemble(ReadOnlySpan<Instruction> program, DisassemblyOptions? options = null)
    {
        options ??= DisassemblyOptions.Default;
        var result = new List<DisassembledInstruction>(program.Length);
        IInstructionFormatter formatter = FormatterFor(options);
        var text = new StringBuilder();
        for (int i = 0; i < program.Length; i++)
        {
            text.Clear();
            formatter.Format(program, i, text, options.Symbols);
            if (options.Annotate) AppendAnnotation(program, i, text, options);
            int slots = program[i].IsLoadImm64 && i + 1 < program.Length ? 2 : 1;
            result.Add(new DisassembledInstruction(i, program.Slice(i, slots).ToArray(), text.ToString()));
            i += slots - 1;
        }
        return result;
    }

    /// <summary>The whole program as text, one instruction per line.</summary>
    public static string FormatProgram(ReadOnlySpan<Instruction> program, DisassemblyOptions? options = null)
    {
        var text = new StringBuilder();
        foreach (DisassembledInstruction insn in Disassemble(program, options))
            text.Append(insn.Text).Append('\n');
        return text.ToString();
    }

    private static void AppendAnnotation(ReadOnlySpan<Instruction> program, int index, StringBuilder text, DisassemblyOptions options)
    {
        Instruction insn = program[index];
        if (options.Symbols is not null && options.Symbols.Relocations.TryGetValue(index, out string? target))
            text.Append("  # ").Append(target);
        else if (insn.IsHelperCall && InstructionValidator.Validate(insn) is null)
        {
            string? helper = options.Symbols?.Helpers is { } names
                ? (names.TryGetValue(insn.Immediate, out string? n) ? n : null)
                : HelperNames.Get(insn.Immediate);
            if (helper is not null) text.Append("  # ").Append(helper);
        }
    }

    private static IInstructionFormatter FormatterFor(DisassemblyOptions options) => options.Syntax switch
    {
        AsmSyntax.Llvm => options.HexImmediates ? ObjdumpSyntaxFormatter.Hex : ObjdumpSyntaxFormatter.Decimal,
        AsmSyntax.Conformance => Conformance,
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Syntax, "unknown syntax"),
    };
}
