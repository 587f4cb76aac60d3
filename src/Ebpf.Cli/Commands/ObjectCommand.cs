using System.CommandLine;
using System.Globalization;
using System.Text;
using Ebpf.Btf;
using Ebpf.Cli.Output;

namespace Ebpf.Cli.Commands;

/// <summary><c>ebpf object show FILE</c>: the programs and maps of a BPF object, as libbpf would load them.</summary>
internal static class ObjectCommand
{
    private const string KernelBtf = Linux.KernelBtf.VmlinuxPath;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A BPF ELF object built by clang -target bpf" };
        var targetBtf = new Option<string?>("--target-btf") { Description = $"Kernel BTF for CO-RE relocations (default: {KernelBtf} when present)" };
        var show = new Command("show", """
            List an object's programs (name, section, type, expected attach type, instructions, tag) and maps
            (name, type, key/value size, max entries, flags, pinning), relocated exactly as libbpf loads them: the
            tag is the one the kernel will report for the program.

            Examples:
              ebpf object show prog.o
              ebpf object show prog.o -p
            """) { file, targetBtf };
        show.SetGuardedAction(parse =>
        {
            string path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new CliError($"can't open '{path}': no such file");
            string? btfPath = parse.GetValue(targetBtf) ?? (File.Exists(KernelBtf) ? KernelBtf : null);
            BtfSpec? target = btfPath is null ? null : BtfReader.Parse(CommandRunner.ReadInput(btfPath));
            CollectionSpec spec = CollectionSpec.LoadFile(path, new CollectionLoadOptions { TargetBtf = target });
            if (parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty))
                JsonOutput.Write(Console.Out, parse.GetValue(GlobalOptions.Pretty), w => WriteJson(w, path, spec));
            else
                Console.Out.Write(FormatText(spec));
            return 0;
        });
        return new Command("object", "Inspect BPF object files without loading them.") { show };
    }

    private static void WriteJson(System.Text.Json.Utf8JsonWriter w, string path, CollectionSpec spec)
    {
        ObjectSummary summary = ObjectSummary.From(spec, Ebpf.Linux.KernelProgramTag.AlgorithmOr(ProgramTagAlgorithm.Sha256));
        var autoload = spec.Programs.ToDictionary(p => p.Name, p => p.AutoLoad, StringComparer.Ordinal);
        w.WriteStartObject();
        w.WriteString("file", path);
        w.WriteString("name", summary.ObjectName);
        w.WriteString("license", summary.License);
        w.WriteObjects("programs", summary.Programs, (w, p) =>
        {
            w.WriteString("name", p.Name);
            w.WriteString("section", p.Section);
            w.WriteString("type", KernelEnumNames.Name(p.Type));
            if (p.AttachType is { } attach) w.WriteString("attach_type", KernelEnumNames.Name(attach));
            if (p.AttachTo is not null) w.WriteString("attach_to", p.AttachTo);
            w.WriteNumber("insn_cnt", p.InstructionCount);
            w.WriteString("tag", p.Tag);
            w.WriteBoolean("autoload", autoload[p.Name]);
            w.WriteStartArray("maps");
            foreach (string m in p.Maps) w.WriteStringValue(m);
            w.WriteEndArray();
        });
        w.WriteObjects("maps", summary.Maps.Zip(spec.Maps), (w, pair) =>
        {
            var (m, mapSpec) = pair;
            w.WriteString("name", m.Name);
            w.WriteString("type", KernelEnumNames.Name(m.Type));
            w.WriteNumber("bytes_key", m.KeySize);
            w.WriteNumber("bytes_value", m.ValueSize);
            w.WriteNumber("max_entries", m.MaxEntries);
            w.WriteNumber("flags", m.Flags);
            w.WriteString("pinning", m.Pinning == MapPinning.ByName ? "by_name" : "none");
            if (mapSpec.InnerMap is { } inner) w.WriteString("inner_map_type", KernelEnumNames.Name(inner.Type));
        });
        w.WriteEndObject();
    }

    private static string FormatText(CollectionSpec spec)
    {
        var c = CultureInfo.InvariantCulture;
        ObjectSummary summary = ObjectSummary.From(spec, Ebpf.Linux.KernelProgramTag.AlgorithmOr(ProgramTagAlgorithm.Sha256));
        var text = new StringBuilder();
        var programs = summary.Programs.Select(p => new[]
        {
            p.Name, p.Section, KernelEnumNames.Name(p.Type), p.AttachType is { } a ? KernelEnumNames.Name(a) : "-",
            p.InstructionCount.ToString(c), p.Tag,
        }).ToList();
        AppendTable(text, "programs", ["NAME", "SECTION", "TYPE", "ATTACH", "INSNS", "TAG"], programs);
        var maps = summary.Maps.Select(m => new[]
        {
            m.Name, KernelEnumNames.Name(m.Type), m.KeySize.ToString(c), m.ValueSize.ToString(c), m.MaxEntries.ToString(c),
            $"0x{m.Flags:x}", m.Pinning == MapPinning.ByName ? "by_name" : "none",
        }).ToList();
        text.Append('\n');
        AppendTable(text, "maps", ["NAME", "TYPE", "KEY", "VALUE", "MAX_ENTRIES", "FLAGS", "PINNING"], maps);
        return text.ToString();
    }

    private static void AppendTable(StringBuilder text, string title, string[] header, List<string[]> rows)
    {
        text.Append(title).Append(CultureInfo.InvariantCulture, $" ({rows.Count}):\n");
        if (rows.Count == 0) return;
        int[] widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        foreach (string[] row in rows.Prepend(header))
            text.Append("  ").Append(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
    }
}
