using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Map;

/// <summary><c>ebpf map freeze MAP</c>.</summary>
internal static class MapFreezeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => WordsCommand.Create("freeze", "MAP", """
        Freeze a map: from now on the syscall side can only read it (programs still write). There is no undo.

        Examples:
          ebpf map freeze id 7
          ebpf map freeze pinned /sys/fs/bpf/config
        """, (args, _) =>
        {
            var words = new Words(args, "map freeze");
            using KernelMap map = MapArguments.Open(words, out MapInfo _);
            words.End();
            map.Freeze();
            return 0;
        });
}
