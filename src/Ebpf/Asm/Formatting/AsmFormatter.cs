namespace Ebpf.Asm;

/// <summary>Entry points for the assembler syntax; <see cref="Disassembler"/> is the general facade.</summary>
public static class AsmFormatter
{
    /// <summary>The instruction at <paramref name="index"/> in the assembler's syntax (a <c>lddw</c> reads the next slot too).</summary>
    /// <remarks>Jump targets that <paramref name="symbols"/> labels print as that label, others as <c>+N</c>/<c>-N</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the program.</exception>
    public static string Format(ReadOnlySpan<Instruction> program, int index, DisassemblySymbols? symbols = null) =>
        Disassembler.Format(program, index, new DisassemblyOptions { Syntax = AsmSyntax.Conformance, Symbols = symbols });

    /// <summary>
    /// The whole program in the assembler's syntax, one instruction per line (the second slot of a <c>lddw</c> has
    /// none), with a <c>name:</c> line before every instruction that <paramref name="symbols"/> labels: text that
    /// <see cref="Assembler.Assemble(string)"/> turns back into the same bytes when every slot is valid.
    /// </summary>
    /// <remarks>
    /// Only labels the text can define are used: names <see cref="Assembler.IsLabel(string)"/> accepts, placed at
    /// the start of an instruction or at the end of the program, each name once (the lowest index keeps it). Jumps
    /// to other targets print as numeric offsets, so a label table with odd entries never breaks reassembly.
    /// </remarks>
    public static string FormatProgram(ReadOnlySpan<Instruction> program, DisassemblySymbols? symbols = null)
    {
        DisassemblySymbols? usable = symbols is null ? null : DefinableLabels(program, symbols);
        var text = new System.Text.StringBuilder();
        var options = new DisassemblyOptions { Syntax = AsmSyntax.Conformance, Symbols = usable };
        foreach (DisassembledInstruction insn in Disassembler.Disassemble(program, options))
        {
            if (usable is not null && usable.Labels.TryGetValue(insn.Index, out string? label)) text.Append(label).Append(":\n");
            text.Append(insn.Text).Append('\n');
        }
        if (usable is not null && usable.Labels.TryGetValue(program.Length, out string? end)) text.Append(end).Append(":\n");
        return text.ToString();
    }

    /// <summary>The labels of <paramref name="symbols"/> that the formatted text can define, with its other tables.</summary>
    private static DisassemblySymbols DefinableLabels(ReadOnlySpan<Instruction> program, DisassemblySymbols symbols)
    {
        // Instruction starts as the disassembler walks them: a lddw hides its second slot.
        var starts = new HashSet<int> { program.Length };
        for (int i = 0; i < program.Length; i++)
        {
            starts.Add(i);
            if (program[i].IsLoadImm64) i++;
        }
        var result = new DisassemblySymbols { Helpers = symbols.Helpers };
        foreach ((int index, string name) in symbols.Relocations) result.Relocations[index] = name;
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach ((int index, string name) in symbols.Labels.OrderBy(l => l.Key))
        {
            if (starts.Contains(index) && Assembler.IsLabel(name) && taken.Add(name)) result.Labels[index] = name;
        }
        return result;
    }
}
