using System.CommandLine;
using System.Text;
using Ebpf.Asm;
using Ebpf.Cli.Output;

namespace Ebpf.Cli.Commands;

/// <summary><c>ebpf asm FILE</c>: assemble text in the bpf_conformance syntax into instruction bytes.</summary>
internal static class AsmCommand
{
    /// <summary>Output forms of the assembled program.</summary>
    internal enum AsmFormat
    {
        /// <summary>Raw little-endian bytes (the kernel's struct bpf_insn array).</summary>
        Raw,
        /// <summary>One instruction per line, 8 hex bytes separated by spaces.</summary>
        Hex,
    }

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Assembler source ('-' for standard input)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write raw bytes to this file" };
        var format = new Option<AsmFormat?>("--format", "-f") { Description = "raw or hex (default: hex on stdout, raw with --output)" };
        var command = new Command("asm", """
            Assemble eBPF assembler text (the bpf_conformance syntax: 'mov32 %r0, 0', 'ldxw %r0, [%r1+4]',
            'jeq %r1, 0, +2', labels) into instruction bytes.

            Examples:
              ebpf asm prog.asm                 # hex, one instruction per line
              ebpf asm prog.asm -o prog.bin     # raw bytes for 'ebpf disasm prog.bin'
              ebpf asm prog.asm --json          # bytes and disassembly per instruction
            """) { file, output, format };
        command.SetGuardedAction(parse =>
        {
            string path = parse.GetValue(file)!;
            string text = Encoding.UTF8.GetString(CommandRunner.ReadInput(path));
            Instruction[] program;
            try
            {
                program = Assembler.Assemble(text);
            }
            catch (AssemblerException e)
            {
                throw new CliError($"{path}:{e.Line}:{e.Column}: expected {e.Expected}, found {(e.Found.Length == 0 ? "end of line" : $"'{e.Found}'")}");
            }
            string? outPath = parse.GetValue(output);
            AsmFormat fmt = parse.GetValue(format) ?? (outPath is null ? AsmFormat.Hex : AsmFormat.Raw);
            bool json = parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty);
            byte[] bytes = InstructionStream.Encode(program);
            if (json)
            {
                JsonOutput.Write(Console.Out, parse.GetValue(GlobalOptions.Pretty), w => InstructionJson.WriteProgram(w, program, null));
                if (outPath is not null) File.WriteAllBytes(outPath, bytes);
                return 0;
            }
            if (fmt == AsmFormat.Raw)
            {
                if (outPath is not null) File.WriteAllBytes(outPath, bytes);
                else
                {
                    using var stdout = Console.OpenStandardOutput();
                    stdout.Write(bytes);
                }
                return 0;
            }
            string hex = HexText.Format(bytes);
            if (outPath is not null) File.WriteAllText(outPath, hex);
            else Console.Out.Write(hex);
            return 0;
        });
        return command;
    }
}
