using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ebpf.Asm;
using Ebpf.Cli.Output;
using Ebpf.Elf;

namespace Ebpf.Cli.Commands;

/// <summary>
/// <c>ebpf disasm FILE</c>: disassemble raw instruction bytes, hex text, or every program section of an ELF
/// object, in the LLVM syntax (what llvm-objdump prints) or the assembler's.
/// </summary>
internal static class DisasmCommand
{
    /// <summary>Input forms; <see cref="Auto"/> looks at the bytes.</summary>
    internal enum InputFormat
    {
        /// <summary>ELF when the file starts with the ELF magic, hex when it is hex text, raw otherwise.</summary>
        Auto,
        /// <summary>Raw little-endian instruction bytes.</summary>
        Raw,
        /// <summary>Hex text: bytes or 0x-prefixed 64-bit instruction words.</summary>
        Hex,
        /// <summary>A BPF ELF object.</summary>
        Elf,
    }

    /// <summary>Output syntaxes.</summary>
    internal enum SyntaxOption
    {
        /// <summary>llvm-objdump's syntax.</summary>
        Llvm,
        /// <summary>The assembler's (bpf_conformance) syntax; feeds back into <c>ebpf asm</c>.</summary>
        Asm,
    }

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Raw bytes, hex text or an ELF object ('-' for standard input)" };
        var input = new Option<InputFormat>("--input", "-i") { Description = "Input format", DefaultValueFactory = _ => InputFormat.Auto };
        var syntax = new Option<SyntaxOption>("--syntax", "-s") { Description = "llvm (as llvm-objdump prints) or asm (round-trips through 'ebpf asm')", DefaultValueFactory = _ => SyntaxOption.Llvm };
        var hexImm = new Option<bool>("--imm-hex") { Description = "Immediates in hex (llvm-objdump --print-imm-hex)" };
        var section = new Option<string?>("--section") { Description = "Only this section of an ELF object" };
        var annotate = new Option<bool>("--annotate", "-a") { Description = "Comment lddw with the map or global it refers to and calls with the helper name" };
        var command = new Command("disasm", """
            Disassemble eBPF instructions: raw bytes, hex text, or every program section of a BPF ELF object.

            Examples:
              ebpf disasm prog.o                       # like llvm-objdump -d --no-show-raw-insn
              ebpf disasm prog.o --section xdp --imm-hex
              ebpf disasm prog.o --annotate            # name maps, globals and helpers in comments
              ebpf disasm prog.bin --syntax asm > prog.asm && ebpf asm prog.asm
              ebpf disasm prog.o --json                # bpftool 'prog dump xlated -j opcodes' shape per instruction
            """) { file, input, syntax, hexImm, section, annotate };
        command.SetGuardedAction(parse =>
        {
            string path = parse.GetValue(file)!;
            byte[] data = CommandRunner.ReadInput(path);
            InputFormat format = parse.GetValue(input);
            if (format == InputFormat.Auto)
                format = data.AsSpan().StartsWith("\u007fELF"u8) ? InputFormat.Elf : HexText.LooksLikeHex(data) ? InputFormat.Hex : InputFormat.Raw;
            var options = new DisassemblyOptions
            {
                Syntax = parse.GetValue(syntax) == SyntaxOption.Asm ? AsmSyntax.Conformance : AsmSyntax.Llvm,
                HexImmediates = parse.GetValue(hexImm),
                Annotate = parse.GetValue(annotate),
            };
            bool json = parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty);
            bool pretty = parse.GetValue(GlobalOptions.Pretty);
            if (format == InputFormat.Elf)
                return DisassembleObject(path, data, parse.GetValue(section), options, json, pretty);
            byte[] bytes = format == InputFormat.Hex ? HexText.Parse(Encoding.UTF8.GetString(data)) : data;
            Instruction[] program = InstructionStream.DecodeUnchecked(bytes);
            if (json)
            {
                JsonOutput.Write(Console.Out, pretty, w => InstructionJson.WriteProgram(w, program, options));
                return 0;
            }
            var text = new StringBuilder();
            foreach (DisassembledInstruction insn in Disassembler.Disassemble(program, options))
                AppendLine(text, insn, options.Syntax);
            Console.Out.Write(text);
            return 0;
        });
        return command;
    }

    private static int DisassembleObject(string path, byte[] data, string? onlySection, DisassemblyOptions options, bool json, bool pretty)
    {
        ElfFile elf = ElfFile.Read(data);
        // Like llvm-objdump, an empty executable section (a .text without subprograms) prints nothing.
        IReadOnlyList<BpfCodeSection> sections = BpfObjectPrograms.Read(elf).Where(s => s.Instructions.Length > 0).ToList();
        if (onlySection is not null)
        {
            sections = sections.Where(s => s.Name == onlySection).ToList();
            if (sections.Count == 0) throw new CliError($"'{path}' has no executable section '{onlySection}'");
        }
        if (json)
        {
            JsonOutput.Write(Console.Out, pretty, w =>
            {
                w.WriteStartObject();
                w.WriteString("file", path);
                w.WriteStartArray("sections");
                foreach (BpfCodeSection section in sections)
                {
                    DisassemblyOptions withSymbols = options with { Symbols = section.ToDisassemblySymbols(elf) };
                    w.WriteStartObject();
                    w.WriteString("name", section.Name);
                    w.WriteObjects("functions", section.Functions, (w, function) =>
                    {
                        w.WriteString("name", function.Name);
                        w.WriteNumber("offset", function.Offset);
                        w.WriteNumber("insn_cnt", function.InstructionCount);
                    });
                    w.WritePropertyName("insns");
                    InstructionJson.WriteProgram(w, section.Instructions, withSymbols);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
            return 0;
        }
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"\n{Path.GetFileName(path)}:\tfile format elf64-bpf\n");
        foreach (BpfCodeSection section in sections)
        {
            DisassemblyOptions withSymbols = options with { Symbols = section.ToDisassemblySymbols(elf) };
            text.Append(CultureInfo.InvariantCulture, $"\nDisassembly of section {section.Name}:\n");
            var starts = section.Functions.ToDictionary(f => f.FirstInstruction, f => f.Name);
            foreach (DisassembledInstruction insn in Disassembler.Disassemble(section.Instructions, withSymbols))
            {
                if (starts.TryGetValue(insn.Index, out string? function))
                    text.Append(CultureInfo.InvariantCulture, $"\n{insn.Index * (long)Instruction.Size:x16} <{function}>:\n");
                AppendLine(text, insn, options.Syntax);
            }
        }
        Console.Out.Write(text);
        return 0;
    }

    private static void AppendLine(StringBuilder text, DisassembledInstruction insn, AsmSyntax syntax)
    {
        if (syntax == AsmSyntax.Conformance) text.Append(insn.Text).Append('\n');
        else text.Append(CultureInfo.InvariantCulture, $"{insn.Index,8}:\t{insn.Text}\n");
    }
}
