using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Map;

/// <summary><c>ebpf map getnext MAP [key BYTES]</c>.</summary>
internal static class MapGetNextCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => WordsCommand.Create("getnext", "MAP [key [hex] BYTES]", """
        Print the key after KEY (the first key without KEY), as BPF_MAP_GET_NEXT_KEY walks the map.

        Examples:
          ebpf map getnext id 7
          ebpf map getnext id 7 key 1 0 0 0 -j
        """, Run);

    private static int Run(string[] args, OutputMode mode)
    {
        var words = new Words(args, "map getnext");
        using KernelMap map = MapArguments.Open(words, out MapInfo info);
        byte[]? key = words.Peek == "key" ? MapArguments.Bytes(words, "key", map.KeySize) : null;
        words.End();
        byte[] next = new byte[map.KeySize];
        if (!map.TryGetNextKey(key ?? [], next))
            throw new CliError($"map getnext: no next key in map {info.Id} ('{info.Name}'){(key is null ? ": the map is empty" : "")}");
        if (mode.Json)
        {
            JsonOutput.Write(Console.Out, mode.Pretty, w =>
            {
                w.WriteStartObject();
                if (key is null) w.WriteNull("key");
                else BpftoolJson.WriteHexArray(w, "key", key);
                BpftoolJson.WriteHexArray(w, "next_key", next);
                w.WriteEndObject();
            });
        }
        else
        {
            Console.Out.WriteLine("key:");
            Console.Out.WriteLine(key is null ? "None" : BpftoolJson.HexLine(key));
            Console.Out.WriteLine("next key:");
            Console.Out.WriteLine(BpftoolJson.HexLine(next));
        }
        return 0;
    }
}
