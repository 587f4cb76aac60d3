using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Ebpf.Asm;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Prog;

/// <summary><c>ebpf prog dump xlated|jited PROG [file FILE | opcodes | linum | visual]</c>.</summary>
internal static class ProgDumpCommand
{
    /// <summary>Creates <c>dump</c> with its <c>xlated</c> and <c>jited</c> subcommands.</summary>
    public static Command Create() => new("dump", "Dump a loaded program's instructions: as the verifier rewrote them (xlated) or as the JIT compiled them (jited).")
    {
        WordsCommand.Create("xlated", "PROG [file FILE | opcodes | linum | visual]", """
            Print the program as the kernel runs it after verification (map fds replaced by map ids, helpers resolved).
            'opcodes' adds each instruction's bytes; 'file FILE' writes the raw instructions instead.

            Examples:
              ebpf prog dump xlated id 42
              ebpf prog dump xlated name xdp_drop_udp53 opcodes -p
              ebpf prog dump xlated pinned /sys/fs/bpf/p file prog.bin
            """, (args, mode) => Run(args, mode, jited: false)),
        WordsCommand.Create("jited", "PROG [file FILE | opcodes | linum]", """
            Print the machine code the JIT produced, disassembled (x86-64, AT&T syntax, by Iced).

            Examples:
              ebpf prog dump jited id 42
              ebpf prog dump jited name xdp_drop_udp53 opcodes -j
            """, (args, mode) => Run(args, mode, jited: true)),
    };

    private static int Run(string[] args, OutputMode mode, bool jited)
    {
        string command = jited ? "prog dump jited" : "prog dump xlated";
        var words = new Words(args, command);
        var (handle, info) = KernelLookup.Program(ProgArguments.Reference(words));
        handle.Dispose();
        string? file = null;
        bool opcodes = false;
        while (!words.AtEnd)
        {
            string option = words.Next("an option");
            switch (option)
            {
                case "file": file = words.Next("FILE"); break;
                case "opcodes": opcodes = true; break;
                case "linum": break;   // line info is not read from the kernel yet: nothing to add
                case "visual" when !jited: throw new CliError($"{command}: 'visual' (DOT control-flow graph) is not supported");
                default: throw new CliError($"{command}: unknown option '{option}' (expected file, opcodes, linum)");
            }
        }
        if (jited) return Jited(info, mode, file, opcodes, command);
        ReadOnlySpan<Instruction> insns = info.XlatedInstructions.AsSpan();
        if (insns.IsEmpty) throw new CliError($"{command}: the kernel returned no instructions for program {info.Id} (kernel.kptr_restrict or bpf_jit_harden may hide them)");
        if (file is not null)
        {
            File.WriteAllBytes(file, MemoryMarshal.AsBytes(insns).ToArray());
            return 0;
        }
        var lines = Disassembler.Disassemble(insns, new DisassemblyOptions { Annotate = true });
        if (mode.Json)
        {
            JsonOutput.Write(Console.Out, mode.Pretty, w =>
            {
                w.WriteStartArray();
                foreach (DisassembledInstruction d in lines)
                {
                    w.WriteStartObject();
                    w.WriteString("disasm", XlatedText.Format(d));
                    if (opcodes) WriteOpcodes(w, d.Slots);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
            return 0;
        }
        var s = new StringBuilder();
        foreach (DisassembledInstruction d in lines)
        {
            s.Append(CultureInfo.InvariantCulture, $"{d.Index,4}: {XlatedText.Format(d)}\n");
            if (opcodes)
            {
                byte[] bytes = MemoryMarshal.AsBytes(d.Slots.ToArray().AsSpan()).ToArray();
                s.Append("       ").Append(BpftoolJson.HexLine(bytes).Replace('\n', ' ')).Append('\n');
            }
        }
        Console.Out.Write(s.ToString());
        return 0;
    }

    private static void WriteOpcodes(System.Text.Json.Utf8JsonWriter w, IReadOnlyList<Instruction> slots)
    {
        Instruction first = slots[0];
        w.WriteStartObject("opcodes");
        w.WriteString("code", "0x" + first.OpCode.Value.ToString("x2", CultureInfo.InvariantCulture));
        w.WriteString("src_reg", "0x" + ((byte)first.Source).ToString("x", CultureInfo.InvariantCulture));
        w.WriteString("dst_reg", "0x" + ((byte)first.Destination).ToString("x", CultureInfo.InvariantCulture));
        BpftoolJson.WriteHexArray(w, "off", BitConverter.GetBytes(first.Offset));
        // A 16-byte lddw: bpftool prints the first imm followed by the whole second slot (12 bytes).
        byte[] imm = BitConverter.GetBytes(first.Immediate);
        if (slots.Count == 2) imm = [.. imm, .. MemoryMarshal.AsBytes(new[] { slots[1] }.AsSpan()).ToArray()];
        BpftoolJson.WriteHexArray(w, "imm", imm);
        w.WriteEndObject();
    }

    private static int Jited(ProgramInfo info, OutputMode mode, string? file, bool opcodes, string command)
    {
        if (info.JitedInstructions.IsEmpty) throw new CliError($"{command}: program {info.Id} is not JIT-compiled (or kernel.kptr_restrict hides its code)");
        if (file is not null)
        {
            File.WriteAllBytes(file, info.JitedInstructions.ToArray());
            return 0;
        }
        if (RuntimeInformation.OSArchitecture != Architecture.X64)
            throw new CliError($"{command}: disassembly of {RuntimeInformation.OSArchitecture} machine code is not supported (x86-64 only); use 'file FILE'");
        var functions = JitedDisassembly.Decode(info.JitedInstructions.AsSpan(), info.JitedFunctionLengths, info.JitedSymbols, info.FullName, info.Tag, KernelSymbols.Read());
        if (mode.Json) JsonOutput.Write(Console.Out, mode.Pretty, w => JitedDisassembly.WriteJson(w, functions, opcodes));
        else Console.Out.Write(JitedDisassembly.Text(functions, opcodes));
        return 0;
    }
}
