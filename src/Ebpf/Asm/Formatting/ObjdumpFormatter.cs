using System.Text;

namespace Ebpf.Asm.Formatting;

/// <summary>
/// Formats instructions in the syntax of <c>llvm-objdump -d --no-show-raw-insn</c> for BPF
/// (<c>r0 = *(u32 *)(r1 + 4)</c>, <c>if r1 == 0 goto +2 &lt;LBB0_2&gt;</c>, <c>r1 = 0 ll</c>, <c>lock *(u64 *)(r1 + 0) += r2</c>).
/// </summary>
/// <remarks>
/// The text equals LLVM 14's for every instruction LLVM 14 decodes correctly; immediates are decimal unless
/// <c>hexImmediates</c> asks for the <c>--print-imm-hex</c> form that LLVM 15 and later print by default.
/// Instructions LLVM 14 cannot express (v4: <c>r0 s/= r1</c>, <c>r0 = (s8)r1</c>, <c>r0 = *(s8 *)(r1 + 0)</c>,
/// <c>r0 = bswap16 r0</c>, <c>gotol +N</c>; and BPF_ST, BPF_JSET, BPF_MOD, 32-bit atomics) use later LLVM syntax.
/// Invalid slots print <c>&lt;unknown&gt;</c>.
/// </remarks>
public static class ObjdumpFormatter
{
    /// <summary>The text of the instruction at <paramref name="index"/> (for <c>lddw</c>, of both its slots).</summary>
    /// <param name="program">The program.</param>
    /// <param name="index">The slot to format.</param>
    /// <param name="symbols">Labels to print after jump targets (<c>goto +2 &lt;LBB0_2&gt;</c>); optional.</param>
    /// <param name="hexImmediates">Print immediates and offsets in hexadecimal (<c>--print-imm-hex</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a slot of <paramref name="program"/>.</exception>
    public static string Format(ReadOnlySpan<Instruction> program, int index, DisassemblySymbols? symbols = null, bool hexImmediates = false)
    {
        var output = new StringBuilder(32);
        Format(program, index, output, symbols, hexImmediates);
        return output.ToString();
    }

    /// <summary>Appends the text of the instruction at <paramref name="index"/> to <paramref name="output"/>.</summary>
    /// <inheritdoc cref="Format(ReadOnlySpan{Instruction}, int, DisassemblySymbols?, bool)"/>
    public static void Format(ReadOnlySpan<Instruction> program, int index, StringBuilder output, DisassemblySymbols? symbols = null, bool hexImmediates = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        (hexImmediates ? ObjdumpSyntaxFormatter.Hex : ObjdumpSyntaxFormatter.Decimal).Format(program, index, output, symbols);
    }

    /// <summary>The text of a single instruction (a <c>lddw</c> needs both slots: use the span overload).</summary>
    public static string Format(Instruction instruction, bool hexImmediates = false) =>
        Format([instruction], 0, null, hexImmediates);
}
