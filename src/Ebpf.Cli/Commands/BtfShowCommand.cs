using System.CommandLine;
using System.Globalization;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands;

/// <summary><c>ebpf btf show|list [id ID]</c>.</summary>
internal static class BtfShowCommand
{
    /// <summary>Creates the command (with its <c>list</c> alias).</summary>
    public static Command Create() => WordsCommand.Create("show", "[id ID]", """
        Show BTF objects in the kernel: id, size, the programs and maps using each, and the kernel's own BTF
        (vmlinux and modules, by name).

        Examples:
          ebpf btf show
          ebpf btf list id 1 -j
        """, Run, "list");

    private sealed record Row(BtfInfo Info, List<uint> Programs, List<uint> Maps);

    private static int Run(string[] args, OutputMode mode)
    {
        var words = new Words(args, "btf show");
        uint? only = null;
        if (!words.AtEnd) only = words.Reference("BTF", ObjectReferenceKind.Id).Id;
        words.End();
        // Who uses which BTF comes from the programs' and maps' info, as bpftool builds it.
        var programs = KernelLookup.AllPrograms();
        var maps = KernelLookup.AllMaps();
        var rows = new List<Row>();
        try
        {
            IEnumerable<uint> ids = only is { } one ? [one] : KernelObjects.BtfIds();
            foreach (uint id in ids)
            {
                SafeBpfHandle handle;
                try { handle = KernelObjects.OpenBtfById(id); }
                catch (BpfException e) when (e.Errno == Errno.ENOENT)
                {
                    if (only is not null) throw new CliError($"btf show: no BTF object with id {id}");
                    continue;
                }
                using (handle)
                {
                    BtfInfo info = BtfInfo.Get(handle);
                    rows.Add(new Row(info, [.. programs.Where(p => p.Info.BtfId == id).Select(p => p.Info.Id)],
                        [.. maps.Where(m => m.Info.BtfId == id).Select(m => m.Info.Id)]));
                }
            }
        }
        finally
        {
            foreach (var (h, _) in programs) h.Dispose();
            foreach (var (h, _) in maps) h.Dispose();
        }
        if (mode.Json)
        {
            JsonOutput.Write(Console.Out, mode.Pretty, w =>
            {
                if (only is null) w.WriteStartArray();
                foreach (Row r in rows)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", r.Info.Id);
                    w.WriteNumber("size", r.Info.Size);
                    w.WriteNumbers("prog_ids", r.Programs);
                    w.WriteNumbers("map_ids", r.Maps);
                    w.WriteBoolean("kernel", r.Info.IsKernel);
                    if (r.Info.Name.Length > 0) w.WriteString("name", r.Info.Name);
                    w.WriteEndObject();
                }
                if (only is null) w.WriteEndArray();
            });
            return 0;
        }
        if (mode.Terminal && rows.Count > 0)
        {
            HumanTable.Write("BTF objects", ["ID", "NAME", "SIZE", "KERNEL", "PROGRAMS", "MAPS"], rows.Select(r => new[]
            {
                r.Info.Id.ToString(CultureInfo.InvariantCulture), r.Info.Name.Length > 0 ? r.Info.Name : "<anon>",
                r.Info.Size.ToString(CultureInfo.InvariantCulture) + "B", r.Info.IsKernel ? "yes" : "no",
                BpftoolJson.IdList(r.Programs), BpftoolJson.IdList(r.Maps),
            }));
            return 0;
        }
        foreach (Row r in rows)
        {
            string name = r.Info.Name.Length == 0 ? "<anon>" : r.Info.IsKernel ? $"[{r.Info.Name}]" : r.Info.Name;
            string line = string.Create(CultureInfo.InvariantCulture, $"{r.Info.Id}: name {name}  size {r.Info.Size}B");
            if (r.Programs.Count > 0) line += "  prog_ids " + BpftoolJson.IdList(r.Programs);
            if (r.Maps.Count > 0) line += "  map_ids " + BpftoolJson.IdList(r.Maps);
            Console.Out.WriteLine(line);
        }
        return 0;
    }
}
