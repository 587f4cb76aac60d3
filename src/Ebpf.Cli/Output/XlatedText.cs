using System.Globalization;
using System.Text.RegularExpressions;
using Ebpf.Asm;
using Ebpf.Linux;

namespace Ebpf.Cli.Output;

/// <summary>
/// Translated (post-verifier) instructions in the kernel printer's words, as <c>bpftool prog dump xlated</c> shows
/// them: the opcode in parentheses, <c>(r1 +8)</c>, <c>goto pc+3</c>, jump immediates in hex, <c>map[id:N]</c>,
/// 64-bit immediates in hex, and calls by kernel symbol (<c>call __htab_map_lookup_elem#347216</c>). Everything
/// else is the LLVM form of <see cref="Disassembler"/>.
/// </summary>
internal static partial class XlatedText
{
    private static readonly Lazy<KernelSymbols> s_symbols = new(KernelSymbols.Read);

    /// <summary>One instruction.</summary>
    public static string Format(DisassembledInstruction d)
    {
        Instruction first = d.Slots[0];
        string text = d.Slots.Count == 2 && first.OpCode.Value == 0x18 ? LoadImmediate(first, d.Slots[1], d.Text) : d.Text;
        if (first.IsHelperCall) text = $"call {s_symbols.Value.HelperCall(first.Immediate) ?? HelperNames.Get(first.Immediate) ?? "unknown"}#{first.Immediate}";
        if (first.IsLocalCall) text = string.Create(CultureInfo.InvariantCulture, $"call pc{first.Immediate:+0;-0}");
        if (text == "<unknown>" && first.OpCode.Value == 0xbf) text = $"r{(int)first.Destination} = r{(int)first.Source}";
        text = MemoryOperand().Replace(text, m => $"({m.Groups[1].Value} {m.Groups[2].Value}{m.Groups[3].Value})");
        text = JumpOffset().Replace(text, "goto pc$1");
        text = JumpImmediate().Replace(text, m => string.Create(CultureInfo.InvariantCulture,
            $"if {m.Groups[1].Value} {m.Groups[2].Value} 0x{unchecked((uint)int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)):x} goto"));
        return string.Create(CultureInfo.InvariantCulture, $"({first.OpCode.Value:x2}) {text}");
    }

    private static string LoadImmediate(Instruction first, Instruction second, string text)
    {
        int dst = (int)first.Destination;
        return (int)first.Source switch
        {
            1 => string.Create(CultureInfo.InvariantCulture, $"r{dst} = map[id:{(uint)first.Immediate}]"),
            2 => string.Create(CultureInfo.InvariantCulture, $"r{dst} = map[id:{(uint)first.Immediate}][0]+{(uint)second.Immediate}"),
            4 => string.Create(CultureInfo.InvariantCulture, $"r{dst} = subprog[{first.Immediate:+0;-0}]"),
            0 => string.Create(CultureInfo.InvariantCulture, $"r{dst} = 0x{Instruction.Imm64(first, second):x}"),
            _ => text,
        };
    }

    [GeneratedRegex(@"\((r\d+) ([+-]) (\d+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex MemoryOperand();

    [GeneratedRegex(@"goto ([+-]\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex JumpOffset();

    [GeneratedRegex(@"^if ([rw]\d+) (\S+) (-?\d+) goto", RegexOptions.CultureInvariant)]
    private static partial Regex JumpImmediate();
}
