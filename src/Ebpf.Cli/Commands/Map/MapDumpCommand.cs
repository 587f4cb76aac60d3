using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Map;

/// <summary><c>ebpf map dump MAP</c>: every element, rendered with the map's BTF types when it has them.</summary>
internal static class MapDumpCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => WordsCommand.Create("dump", "id ID | pinned FILE | name NAME", """
        Dump every element of a map. With BTF (maps from objects built with clang -g), values are rendered by type:
        structs as objects, arrays as arrays, enums by name; JSON (-j) carries the raw bytes and a "formatted" field.
        A name matching several maps dumps each.

        Examples:
          ebpf map dump id 7
          ebpf map dump pinned /sys/fs/bpf/counters -p
          ebpf map dump name drop_stats -j
        """, Run);

    private static int Run(string[] args, OutputMode mode)
    {
        var words = new Words(args, "map dump");
        var maps = KernelLookup.Maps(MapArguments.Reference(words));
        words.End();
        try
        {
            var opened = maps.Select(m => (Map: KernelMap.FromHandle(m.Handle), m.Info)).ToList();
            bool several = opened.Count > 1;
            if (mode.Json)
            {
                JsonOutput.Write(Console.Out, mode.Pretty, w =>
                {
                    if (several) w.WriteStartArray();
                    foreach (var (map, info) in opened)
                    {
                        if (several)
                        {
                            // bpftool wraps each map's elements with its identity when a name matches several.
                            w.WriteStartObject();
                            w.WriteNumber("id", info.Id);
                            w.WriteString("type", KernelEnumNames.Name(info.Type));
                            w.WriteString("name", info.Name);
                            w.WriteNumber("flags", (uint)info.Flags);
                            w.WritePropertyName("elements");
                        }
                        var output = MapElementOutput.For(map, info);
                        w.WriteStartArray();
                        foreach (var (key, value) in Elements(map)) output.WriteJson(w, key, value);
                        w.WriteEndArray();
                        if (several) w.WriteEndObject();
                    }
                    if (several) w.WriteEndArray();
                });
                return 0;
            }
            foreach (var (map, info) in opened)
            {
                var output = MapElementOutput.For(map, info);
                var elements = Elements(map).ToList();
                if (output.Formatted)
                {
                    JsonOutput.Write(Console.Out, pretty: true, w =>
                    {
                        w.WriteStartArray();
                        foreach (var (key, value) in elements) output.WriteFormatted(w, key, value, text: true);
                        w.WriteEndArray();
                    });
                }
                else
                {
                    foreach (var (key, value) in elements) Console.Out.Write(output.Text(key, value));
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Found {elements.Count} element{(elements.Count == 1 ? "" : "s")}"));
                }
            }
            return 0;
        }
        finally
        {
            foreach (var (h, _) in maps) h.Dispose();
        }
    }

    /// <summary>Walks the keys with BPF_MAP_GET_NEXT_KEY and looks each up (a key deleted meanwhile is skipped).</summary>
    internal static IEnumerable<(byte[] Key, byte[] Value)> Elements(KernelMap map)
    {
        if (map.Type is MapType.Queue or MapType.Stack or MapType.BloomFilter or MapType.RingBuffer or MapType.UserRingBuffer)
            throw new CliError($"map dump: {KernelEnumNames.Name(map.Type)} maps have no keys to walk; use 'map peek' (queue, stack)");
        byte[] key = [];
        while (true)
        {
            byte[] next = new byte[map.KeySize];
            if (!map.TryGetNextKey(key, next)) yield break;
            byte[] value = new byte[map.ValueBufferSize];
            if (map.TryLookup(next, value)) yield return (next, value);
            key = next;
        }
    }
}
