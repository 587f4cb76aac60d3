using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Map;

/// <summary><c>ebpf map pin MAP FILE</c>.</summary>
internal static class MapPinCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => WordsCommand.Create("pin", "MAP FILE", """
        Pin a map at FILE on a BPF file system, so it outlives its users. Remove the pin with rm.

        Examples:
          ebpf map pin id 7 /sys/fs/bpf/counters
          ebpf map pin name drop_stats /sys/fs/bpf/drop_stats
        """, (args, _) =>
        {
            var words = new Words(args, "map pin");
            using KernelMap map = MapArguments.Open(words, out MapInfo _);
            string path = words.Next("FILE");
            words.End();
            map.Pin(path);
            return 0;
        });
}
