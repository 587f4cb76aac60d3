using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Map;

/// <summary><c>ebpf map create FILE type TYPE key N value N entries N name NAME [flags F] [inner_map MAP]</c>.</summary>
internal static class MapCreateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => WordsCommand.Create("create", "FILE type TYPE key KEY_SIZE value VALUE_SIZE entries MAX_ENTRIES name NAME [flags FLAGS] [inner_map MAP]", """
        Create a map and pin it at FILE (the pin is what keeps it alive). TYPE is bpftool's name (hash, array,
        percpu_array, lru_hash, queue, stack, ringbuf, array_of_maps, ...). Maps of maps need 'inner_map MAP' as
        the template of their values.

        Examples:
          ebpf map create /sys/fs/bpf/counters type hash key 4 value 8 entries 1024 name counters
          ebpf map create /sys/fs/bpf/q type queue key 0 value 4 entries 16 name q
          ebpf map create /sys/fs/bpf/outer type array_of_maps key 4 value 4 entries 2 name outer inner_map id 7
        """, (args, _) => Run(args));

    private static int Run(string[] args)
    {
        var words = new Words(args, "map create");
        string path = words.Next("FILE");
        MapType? type = null;
        int? key = null, value = null, entries = null;
        string name = "";
        MapFlags flags = MapFlags.None;
        KernelMap? inner = null;
        try
        {
            while (!words.AtEnd)
            {
                string keyword = words.Next("a keyword");
                switch (keyword)
                {
                    case "type": type = ParseType(words.Next("TYPE")); break;
                    case "key": key = words.NextInt("key size"); break;
                    case "value": value = words.NextInt("value size"); break;
                    case "entries": entries = words.NextInt("max entries"); break;
                    case "name": name = words.Next("NAME"); break;
                    case "flags": flags = (MapFlags)ParseNumber(words.Next("FLAGS")); break;
                    case "inner_map":
                        var (h, _) = KernelLookup.Map(MapArguments.Reference(words));
                        inner = KernelMap.FromHandle(h);
                        break;
                    default: throw new CliError($"map create: unknown keyword '{keyword}' (expected type, key, value, entries, name, flags, inner_map)");
                }
            }
            if (type is null || key is null || value is null || entries is null)
                throw new CliError("map create: type, key, value and entries are required");
            using KernelMap map = KernelMap.Create(new MapCreateOptions
            {
                Type = type.Value, KeySize = key.Value, ValueSize = value.Value, MaxEntries = entries.Value, Name = name, Flags = flags, InnerMap = inner,
            });
            map.Pin(path);
            return 0;
        }
        finally
        {
            inner?.Dispose();
        }
    }

    /// <summary>A map type by bpftool's name.</summary>
    internal static MapType ParseType(string name) =>
        Enum.GetValues<MapType>().FirstOrDefault(t => KernelEnumNames.Name(t) == name, (MapType)uint.MaxValue) is var t && (uint)t != uint.MaxValue
            ? t : throw new CliError($"unknown map type '{name}'; known: {string.Join(", ", Enum.GetValues<MapType>().Select(KernelEnumNames.Name))}");

    private static uint ParseNumber(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.Parse(text.AsSpan(2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture)
            : uint.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
