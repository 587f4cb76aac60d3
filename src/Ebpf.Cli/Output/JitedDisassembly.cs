using System.Globalization;
using System.Text;
using System.Text.Json;
using Ebpf.Linux;
using Iced.Intel;

namespace Ebpf.Cli.Output;

/// <summary>
/// A program's JIT-compiled x86-64 code disassembled with Iced in AT&amp;T syntax (what bpftool prints through
/// libbfd/LLVM): one block per function, named by its kernel symbol. Calls and jumps that leave the function are
/// annotated with the kernel symbol they reach, as objdump and perf do (<c>jmp 0xffffffff82254420 &lt;srso_return_thunk&gt;</c>):
/// with return thunks active a program ends in such a jump, never in <c>ret</c>.
/// </summary>
internal static class JitedDisassembly
{
    /// <summary>
    /// One decoded instruction: offset in the function, mnemonic, operands, bytes, and for a near call or jump out of
    /// the function the kernel symbol it reaches (<c>name</c> or <c>name+0xN</c>; null when unknown or inside).
    /// </summary>
    public sealed record Line(ulong Pc, string Operation, string[] Operands, byte[] Bytes, string? Target);

    /// <summary>Splits <paramref name="code"/> into functions by <paramref name="functionLengths"/> and decodes each.</summary>
    public static List<(string Name, List<Line> Lines)> Decode(ReadOnlySpan<byte> code, IReadOnlyList<uint> functionLengths, IReadOnlyList<ulong> symbols, string programName, ulong tag, KernelSymbols kernel)
    {
        var functions = new List<(string, List<Line>)>();
        uint[] lengths = functionLengths.Count > 0 ? [.. functionLengths] : [(uint)code.Length];
        int offset = 0;
        var formatter = new GasFormatter();
        formatter.Options.FirstOperandCharIndex = 0;
        formatter.Options.UppercaseHex = false;   // as LLVM and objdump print addresses
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
                string? target = null;
                if (ip != 0 && insn.FlowControl is FlowControl.Call or FlowControl.UnconditionalBranch or FlowControl.ConditionalBranch
                    && insn.Op0Kind is OpKind.NearBranch64 && (insn.NearBranch64 < ip || insn.NearBranch64 >= ip + (ulong)bytes.Length))
                    target = kernel.Describe(insn.NearBranch64);
                lines.Add(new Line(start - ip, mnemonic.ToStringAndReset(), [.. operands], bytes[at..(at + insn.Length)], target));
            }
            // The kernel's own symbol where kallsyms shows it (subprograms carry their BTF names there).
            string name = ip != 0 && kernel.TryResolve(ip, out KernelSymbol symbol, out ulong into) && into == 0 ? symbol.Name
                : f == 0 ? $"bpf_prog_{tag:x16}_{programName}" : $"bpf_prog_{tag:x16}_F";
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
                if (l.Target is not null) s.Append(" <").Append(l.Target).Append('>');
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
                if (l.Target is not null) w.WriteString("target", l.Target);
                if (opcodes) BpftoolJson.WriteHexArray(w, "opcodes", l.Bytes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
