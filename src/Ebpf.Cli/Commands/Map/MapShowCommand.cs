using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Map;

/// <summary><c>ebpf map show|list [MAP]</c>.</summary>
internal static class MapShowCommand
{
    /// <summary>Creates the command (with its <c>list</c> alias).</summary>
    public static Command Create() => WordsCommand.Create("show", "[id ID | pinned FILE | name NAME]", """
        Show BPF maps: id, type, name, flags, key/value sizes, max entries, memlock, frozen, BTF (bpftool's fields).
        Without MAP, every map in the kernel.

        Examples:
          ebpf map show
          ebpf map list id 7 -p
          ebpf map show pinned /sys/fs/bpf/counters
          ebpf map show name drop_stats -j
        """, Run, "list");

    private static int Run(string[] args, OutputMode mode)
    {
        var words = new Words(args, "map show");
        List<(SafeBpfHandle Handle, MapInfo Info)> maps = words.AtEnd
            ? KernelLookup.AllMaps()
            : KernelLookup.Maps(MapArguments.Reference(words));
        words.End();
        return MapShow.Format.Print(maps, MapShow.Read, named: args.Length > 0, mode);
    }
}
