using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Prog;

/// <summary><c>ebpf prog show|list [PROG]</c>.</summary>
internal static class ProgShowCommand
{
    /// <summary>Creates the command (with its <c>list</c> alias).</summary>
    public static Command Create() => WordsCommand.Create("show", "[id ID | pinned FILE | tag TAG | name NAME]", """
        Show loaded BPF programs: id, type, name, tag, load time, sizes, maps and BTF (bpftool's fields; JSON with -j).
        Without PROG, every program in the kernel.

        Examples:
          ebpf prog show
          ebpf prog list id 42 -p
          ebpf prog show pinned /sys/fs/bpf/xdp_prog
          ebpf prog show name xdp_drop_udp53 -j
        """, Run, "list");

    private static int Run(string[] args, OutputMode mode)
    {
        var words = new Words(args, "prog show");
        List<(SafeBpfHandle Handle, ProgramInfo Info)> programs = words.AtEnd
            ? KernelLookup.AllPrograms()
            : KernelLookup.Programs(words.Reference("PROG", ObjectReferenceKind.Id, ObjectReferenceKind.Pinned, ObjectReferenceKind.Tag, ObjectReferenceKind.Name));
        words.End();
        try
        {
            var rows = programs.Select(p => ProgramShow.Read(p.Handle, p.Info)).ToList();
            // bpftool prints a bare object when a reference matches one program, an array for listings and several matches.
            bool single = args.Length > 0 && rows.Count == 1;
            if (mode.Json)
            {
                JsonOutput.Write(Console.Out, mode.Pretty, w =>
                {
                    if (!single) w.WriteStartArray();
                    foreach (var row in rows) ProgramShow.WriteJson(w, row);
                    if (!single) w.WriteEndArray();
                });
            }
            else if (mode.Terminal && rows.Count > 0)
            {
                HumanTable.Write("programs", ProgramShow.Header, rows.Select(ProgramShow.Cells));
            }
            else
            {
                foreach (var row in rows) Console.Out.Write(ProgramShow.Text(row));
            }
            return 0;
        }
        finally
        {
            foreach (var (h, _) in programs) h.Dispose();
        }
    }
}
