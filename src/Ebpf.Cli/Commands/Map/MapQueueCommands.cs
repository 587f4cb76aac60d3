using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Map;

/// <summary>
/// The queue and stack commands: <c>push|enqueue MAP value BYTES</c>, <c>pop|dequeue MAP</c>, <c>peek MAP</c>
/// (bpftool's names; enqueue/dequeue are the queue spellings of push/pop).
/// </summary>
internal static class MapQueueCommands
{
    /// <summary><c>push</c> (alias <c>enqueue</c>).</summary>
    public static Command Push() => WordsCommand.Create("push", "MAP value [hex] BYTES", """
        Push a value on a stack or queue map ('enqueue' is the same for queues).

        Examples:
          ebpf map push id 9 value 1 0 0 0
          ebpf map enqueue pinned /sys/fs/bpf/q value hex 2a 00 00 00
        """, (args, _) =>
        {
            var words = new Words(args, "map push");
            using KernelMap map = MapArguments.Open(words, out MapInfo _);
            byte[] value = MapArguments.Bytes(words, "value", map.ValueSize);
            words.End();
            map.Update([], value);
            return 0;
        }, "enqueue");

    /// <summary><c>pop</c> (alias <c>dequeue</c>).</summary>
    public static Command Pop() => WordsCommand.Create("pop", "MAP", """
        Take the next value off a stack or queue map and print it ('dequeue' is the same for queues).

        Examples:
          ebpf map pop id 9
          ebpf map dequeue pinned /sys/fs/bpf/q -j
        """, (args, mode) => Take(args, mode, "map pop", (map, value) => map.TryLookupAndDelete([], value)), "dequeue");

    /// <summary><c>peek</c>.</summary>
    public static Command Peek() => WordsCommand.Create("peek", "MAP", """
        Print the next value of a stack or queue map without taking it.

        Examples:
          ebpf map peek id 9 -j
        """, (args, mode) => Take(args, mode, "map peek", (map, value) => map.TryLookup([], value)));

    private static int Take(string[] args, OutputMode mode, string command, Func<KernelMap, byte[], bool> take)
    {
        var words = new Words(args, command);
        using KernelMap map = MapArguments.Open(words, out MapInfo info);
        words.End();
        if (map.KeySize != 0) throw new CliError($"{command}: map {info.Id} ('{info.Name}') is a {KernelEnumNames.Name(info.Type)}, not a queue or stack; use 'map lookup'");
        byte[] value = new byte[map.ValueBufferSize];
        if (!take(map, value)) throw new CliError($"{command}: map {info.Id} ('{info.Name}') is empty");
        if (mode.Json)
        {
            JsonOutput.Write(Console.Out, mode.Pretty, w =>
            {
                w.WriteStartObject();
                BpftoolJson.WriteHexArray(w, "key", []);     // bpftool prints the (empty) key of queues and stacks
                BpftoolJson.WriteHexArray(w, "value", value);
                w.WriteEndObject();
            });
        }
        else
        {
            Console.Out.WriteLine("value: " + BpftoolJson.HexLine(value));
        }
        return 0;
    }
}
