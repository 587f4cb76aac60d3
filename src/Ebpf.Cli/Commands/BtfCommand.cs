using System.CommandLine;
using Ebpf.Btf;
using Ebpf.Cli.Output;
using Ebpf.Elf;

namespace Ebpf.Cli.Commands;

/// <summary><c>ebpf btf dump file PATH [format raw|c]</c>, as bpftool spells it.</summary>
internal static class BtfCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var args = new Argument<string[]>("ARGS") { Arity = ArgumentArity.ZeroOrMore, Description = "file PATH [format raw|c]" };
        var baseBtf = new Option<string?>("--base-btf", "-B") { Description = "Base BTF for split BTF (kernel modules), e.g. /sys/kernel/btf/vmlinux" };
        var dump = new Command("dump", """
            Dump BTF types: 'file PATH' reads raw BTF (/sys/kernel/btf/*) or the .BTF section of a BPF object.
            'format raw' (default) prints bpftool's raw listing (JSON with -j); 'format c' prints a C header.

            Examples:
              ebpf btf dump file /sys/kernel/btf/vmlinux
              ebpf btf dump file /sys/kernel/btf/vmlinux format c > vmlinux.h
              ebpf btf dump file prog.o -j
              ebpf btf dump file /sys/kernel/btf/veth -B /sys/kernel/btf/vmlinux
            """) { args, baseBtf };
        dump.SetGuardedAction(parse =>
        {
            string[] words = parse.GetValue(args) ?? [];
            if (words.Length < 2 || words[0] != "file")
                throw new CliError("expected 'file PATH' (bpftool's 'id ID' and 'map'/'prog' sources need the kernel backend)");
            string path = words[1];
            string format = "raw";
            if (words.Length >= 3)
            {
                if (words[2] != "format" || words.Length != 4) throw new CliError($"expected 'format raw' or 'format c' after the file, got '{string.Join(' ', words[2..])}'");
                format = words[3];
                if (format is not ("raw" or "c")) throw new CliError($"unknown format '{format}': expected raw or c");
            }
            string? basePath = parse.GetValue(baseBtf);
            BtfSpec? baseSpec = basePath is null ? null : BtfReader.Parse(CommandRunner.ReadInput(basePath));
            BtfSpec spec = Read(path, baseSpec);
            bool json = parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty);
            if (format == "c")
            {
                if (json) throw new CliError("format c has no JSON form; drop -j or use format raw");
                BtfCFormatter.Write(spec, Console.Out);
                return 0;
            }
            if (json) JsonOutput.Write(Console.Out, parse.GetValue(GlobalOptions.Pretty), w => BtfJson.Write(w, spec));
            else BtfRawFormatter.Write(spec, Console.Out);
            return 0;
        });
        var btf = new Command("btf", "Inspect BTF (BPF Type Format) data.") { BtfShowCommand.Create(), dump };
        return btf;
    }

    /// <summary>Reads BTF from raw BTF bytes or from the .BTF section of an ELF object.</summary>
    internal static BtfSpec Read(string path, BtfSpec? baseSpec)
    {
        byte[] data = CommandRunner.ReadInput(path);
        if (!data.AsSpan().StartsWith("\u007fELF"u8)) return BtfReader.Parse(data, baseSpec);
        ElfFile elf = ElfFile.Read(data);
        ElfSection section = elf.FindSection(".BTF") ?? throw new CliError($"'{path}' has no .BTF section (compile with clang -g)");
        return BtfReader.Parse(section.Data.Span, baseSpec);
    }
}
