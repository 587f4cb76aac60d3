using System.Globalization;
using System.Text;
using System.Text.Json;
using Iced.Intel;

namespace Ebpf.Cli.Output;

/// <summary>
/// A program's JIT-compiled x86-64 code disassembled with Iced in AT&amp;T syntax (what bpftool prints through
/// libbfd/LLVM): one block per function, named by its kernel symbol.
/// </summary>
internal static class JitedDisassembly
{
    /// <summary>One decoded instruction: offset in the function, mnemonic, operands, bytes.</summary>
    public sealed record Line(ulong Pc, string Operation, string[] Operands, byte[] Bytes);

    /// <summary>Splits <paramref name="code"/> into functions by <paramref name="functionLengths"/> and decodes each.</summary>
    public static List<(string Name, List<Line> Lines)> Decode(ReadOnlySpan<byte> code, IReadOnlyList<uint> functionLengths, IReadOnlyList<ulong> symbols, string programName, ulong tag)
    {
        var functions = new List<(string, List<Line>)>();
        uint[] lengths = functionLengths.Count > 0 ? [.. functionLengths] : [(uint)code.Length];
        int offset = 0;
        var formatter = new GasFormatter();
        formatter.Options.FirstOperandCharIndex = 0;
        for (int f = 0; f < lengths.Length; f++)
        {
            byte[] bytes = code.Slice(offset, (int)Math.Min(lengths[f], (uint)(code.Length - offset))).ToArray();
            ulong ip = f < symbols.Count ? symbols[f] : 0;
            var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(bytes), ip);
            var lines = new List<Line>();
            while (decoder.IP < ip + (ulong)bytes.Length)
            {
                ulong start = decoder.IP;
                decoder.Decode(out Instruction insn);
                var mnemonic = new StringOutput();
                formatter.FormatMnemonic(insn, mnemonic);
                var operands = new List<string>();
                for (int k = 0; k < formatter.GetOperandCount(insn); k++)
                {
                    var op = new StringOutput();
                    formatter.FormatOperand(insn, op, k);
                    operands.Add(op.ToStringAndReset());
                }
                int at = (int)(start - ip);
                lines.Add(new Line(start - ip, mnemonic.ToStringAndReset(), [.. operands], bytes[at..(at + insn.Length)]));
            }
            string name = f == 0 ? $"bpf_prog_{tag:x16}_{programName}" : $"bpf_prog_{tag:x16}_F";
            functions.Add((name, lines));
            offset += bytes.Length;
        }
        return functions;
    }

    /// <summary>bpftool's text: <c>NAME:</c> then <c>   0:\tmov\t%rsp,%rbp</c> lines (and the bytes with opcodes).</summary>
    public static string Text(List<(string Name, List<Line> Lines)> functions, bool opcodes)
    {
        var s = new StringBuilder();
        foreach (var (name, lines) in functions)
        {
            s.Append(name).Append(":\n");
            foreach (Line l in lines)
            {
                s.Append(CultureInfo.InvariantCulture, $"{l.Pc,4:x}:\t{l.Operation}");
                if (l.Operands.Length > 0) s.Append('\t').Append(string.Join(',', l.Operands));
                s.Append('\n');
                if (opcodes) s.Append("\t").Append(BpftoolJson.HexLine(l.Bytes)).Append('\n');
            }
            s.Append('\n');
        }
        return s.ToString();
    }

    /// <summary>bpftool's JSON: <c>[{"name":..,"insns":[{"pc":"0x0","operation":..,"operands":[..]}]}]</c>.</summary>
    public static void WriteJson(Utf8JsonWriter w, List<(string Name, List<Line> Lines)> functions, bool opcodes)
    {
        w.WriteStartArray();
        foreach (var (name, lines) in functions)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteStartArray("insns");
            foreach (Line l in lines)
            {
                w.WriteStartObject();
                w.WriteString("pc", "0x" + l.Pc.ToString("x", CultureInfo.InvariantCulture));
                w.WriteString("operation", l.Operation);
                w.WriteStartArray("operands");
                foreach (string o in l.Operands) w.WriteStringValue(o);
                w.WriteEndArray();
                if (opcodes) BpftoolJson.WriteHexArray(w, "opcodes", l.Bytes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
