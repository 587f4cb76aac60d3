using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Map;

/// <summary><c>ebpf map delete MAP key BYTES</c>.</summary>
internal static class MapDeleteCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => WordsCommand.Create("delete", "MAP key [hex] BYTES", """
        Delete one element (arrays cannot delete: their elements always exist).

        Examples:
          ebpf map delete id 7 key 1 0 0 0
          ebpf map delete pinned /sys/fs/bpf/counters key hex 01 00 00 00
        """, Run);

    private static int Run(string[] args, OutputMode mode)
    {
        var words = new Words(args, "map delete");
        using KernelMap map = MapArguments.Open(words, out MapInfo info);
        byte[] key = MapArguments.Bytes(words, "key", map.KeySize);
        words.End();
        if (!map.Delete(key))
            throw new CliError($"map delete: key {BpftoolJson.HexLine(key)} not found in map {info.Id} ('{info.Name}')");
        return 0;
    }
}
