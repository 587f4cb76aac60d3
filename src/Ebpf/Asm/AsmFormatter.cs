namespace Ebpf.Asm;

/// <summary>Entry points for the assembler syntax; <see cref="Disassembler"/> is the general facade.</summary>
public static class AsmFormatter
{
    /// <summary>The instruction at <paramref name="index"/> in the assembler's syntax.</summary>
    public static string Format(ReadOnlySpan<Instruction> program, int index, DisassemblySymbols? symbols = null) =>
        Disassembler.Format(program, index, new DisassemblyOptions { Syntax = AsmSyntax.Conformance, Symbols = symbols });

    /// <summary>
    /// The whole program in the assembler's syntax, one instruction per line, with a <c>name:</c> line before every
    /// instruction that <paramref name="symbols"/> labels: text that <see cref="Assembler.Assemble(string)"/> turns
    /// back into the same bytes.
    /// </summary>
    public static string FormatProgram(ReadOnlySpan<Instruction> program, DisassemblySymbols? symbols = null)
    {
        var text = new System.Text.StringBuilder();
        var options = new DisassemblyOptions { Syntax = AsmSyntax.Conformance, Symbols = symbols };
        foreach (DisassembledInstruction insn in Disassembler.Disassemble(program, options))
        {
            if (symbols is not null && symbols.Labels.TryGetValue(insn.Index, out string? label) && Assembler.IsLabel(label))
                text.Append(label).Append(":\n");
            text.Append(insn.Text).Append('\n');
        }
        return text.ToString();
    }
}
