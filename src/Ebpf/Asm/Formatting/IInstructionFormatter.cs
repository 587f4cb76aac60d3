using System.Text;

namespace Ebpf.Asm.Formatting;

/// <summary>Writes the text of one instruction in one assembly syntax.</summary>
internal interface IInstructionFormatter
{
    /// <summary>
    /// Appends the text of the instruction at <paramref name="index"/> of <paramref name="program"/> (for <c>lddw</c>
    /// the next slot is read too) to <paramref name="output"/>, using <paramref name="symbols"/> for names of jump
    /// targets, helpers, maps and functions when given. Invalid instructions are written in a form that says so.
    /// </summary>
    void Format(ReadOnlySpan<Instruction> program, int index, StringBuilder output, DisassemblySymbols? symbols);
}
