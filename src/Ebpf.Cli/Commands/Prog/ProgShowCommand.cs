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
        return ProgramShow.Format.Print(programs, ProgramShow.Read, named: args.Length > 0, mode);
    }
}
