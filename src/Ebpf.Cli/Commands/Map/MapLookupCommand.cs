using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Map;

/// <summary><c>ebpf map lookup MAP key [hex] BYTES</c>.</summary>
internal static class MapLookupCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => WordsCommand.Create("lookup", "MAP key [hex] BYTES", """
        Look up one element. Keys are bpftool byte lists: decimal/0x/0-octal numbers one per byte, or 'hex' then
        two-digit hex bytes. Values print with BTF formatting when the map has BTF.

        Examples:
          ebpf map lookup id 7 key 1 0 0 0
          ebpf map lookup pinned /sys/fs/bpf/counters key hex 01 00 00 00 -j
        """, Run);

    private static int Run(string[] args, OutputMode mode)
    {
        var words = new Words(args, "map lookup");
        using KernelMap map = MapArguments.Open(words, out MapInfo info);
        byte[] key = MapArguments.Bytes(words, "key", map.KeySize);
        words.End();
        byte[] value = new byte[map.ValueBufferSize];
        if (!map.TryLookup(key, value))
            throw new CliError($"map lookup: key {BpftoolJson.HexLine(key)} not found in map {info.Id} ('{info.Name}')");
        Print(map, info, key, value, mode);
        return 0;
    }

    /// <summary>Prints one element the way bpftool's lookup does.</summary>
    internal static void Print(KernelMap map, MapInfo info, byte[] key, byte[] value, OutputMode mode)
    {
        var output = MapElementOutput.For(map, info);
        if (mode.Json) JsonOutput.Write(Console.Out, mode.Pretty, w => output.WriteJson(w, key, value));
        else if (output.Formatted) JsonOutput.Write(Console.Out, pretty: true, w => output.WriteFormatted(w, key, value, text: true));
        else Console.Out.Write(output.Text(key, value));
    }
}
