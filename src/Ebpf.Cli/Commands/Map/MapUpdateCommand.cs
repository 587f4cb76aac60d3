using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Map;

/// <summary><c>ebpf map update MAP key BYTES value VALUE [any|noexist|exist]</c>.</summary>
internal static class MapUpdateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => WordsCommand.Create("update", "MAP key [hex] BYTES value [hex] BYTES|id N|pinned FILE|name N [any|noexist|exist]", """
        Create or replace an element. Per-CPU maps get the value on every CPU. Maps of maps and program arrays
        take the object to store: 'value id 5', 'value pinned /sys/fs/bpf/x', 'value name x'.
        'noexist' fails when the key exists, 'exist' when it does not; 'any' (default) does both.

        Examples:
          ebpf map update id 7 key 1 0 0 0 value 42 0 0 0 0 0 0 0
          ebpf map update pinned /sys/fs/bpf/counters key hex 01 00 00 00 value hex 2a 00 00 00 00 00 00 00 noexist
          ebpf map update name outer key 0 0 0 0 value id 12
        """, Run);

    private static int Run(string[] args, OutputMode mode)
    {
        var words = new Words(args, "map update");
        using KernelMap map = MapArguments.Open(words, out MapInfo info);
        byte[] key = map.KeySize == 0 ? [] : MapArguments.Bytes(words, "key", map.KeySize);
        byte[] value;
        if (MapArguments.HoldsObjects(info.Type))
        {
            if (!words.Accept("value")) throw new Output.CliError("map update: expected 'value id N | pinned FILE | name NAME'");
            using SafeBpfHandle stored = MapArguments.ValueObject(words, info.Type);
            value = BitConverter.GetBytes((int)stored.DangerousGetHandle());
            Update(map, key, value, MapArguments.UpdateFlags(words), words);
            return 0;
        }
        byte[] one = MapArguments.Bytes(words, "value", map.ValueSize);
        value = Replicate(map, one);
        Update(map, key, value, MapArguments.UpdateFlags(words), words);
        return 0;
    }

    private static void Update(KernelMap map, byte[] key, byte[] value, MapUpdateFlags flags, Words words)
    {
        words.End();
        map.Update(key, value, flags);
    }

    /// <summary>A per-CPU map takes one value slot per possible CPU: bpftool stores the same value in each.</summary>
    internal static byte[] Replicate(KernelMap map, byte[] one)
    {
        if (!map.IsPerCpu) return one;
        byte[] all = new byte[map.ValueBufferSize];
        for (int cpu = 0; cpu < PossibleCpus.Count; cpu++) one.CopyTo(all, cpu * map.ValueStride);
        return all;
    }
}
