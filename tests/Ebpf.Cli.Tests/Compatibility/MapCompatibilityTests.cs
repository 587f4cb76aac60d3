using System.Text.Json;

namespace Ebpf.Cli.Tests.Compatibility;

/// <summary>ebpf map ... against bpftool map ... on the same maps.</summary>
public class MapCompatibilityTests
{
    public static TheoryData<string, string> BtfMaps => new()
    {
        { "tests/maps_mix.o", "counts" }, { "tests/maps_mix.o", "totals" }, { "tests/maps_mix.o", "per_cpu" },
        { "tests/maps_mix.o", "recent" }, { "tests/maps_mix.o", "inner" }, { "tests/maps_mix.o", "outer" },
        { "tests/globals_subprog.o", "globals__data" }, { "tests/globals_subprog.o", "globals__bss" },
        { "tests/globals_subprog.o", "globals__rodata" }, { "xdp_drop_udp53.o", "drop_stats" },
    };

    [Theory]
    [MemberData(nameof(BtfMaps))]
    public void ShowAndDump_EveryFieldEqualsBpftool(string objectName, string map)
    {
        using var obj = new LoadedObject(objectName);
        string pinned = obj.Map(map);
        JsonCompare.Equal(Tools.BpftoolJson("map", "show", "pinned", pinned), Tools.EbpfJson("map", "show", "pinned", pinned));
        JsonCompare.Equal(Tools.BpftoolJson("map", "dump", "pinned", pinned), Tools.EbpfJson("map", "dump", "pinned", pinned));
    }

    [Fact]
    public void Update_ThenLookupGetnextAndDump_EqualBpftool_PerCpuAndHash()
    {
        using var obj = new LoadedObject("tests/maps_mix.o");
        string counts = obj.Map("counts"), perCpu = obj.Map("per_cpu");
        Tools.Ebpf("map", "update", "pinned", counts, "key", "7", "0", "0", "0", "value", "hex", "2a", "00", "00", "00", "00", "00", "00", "01");
        Tools.Ebpf("map", "update", "pinned", counts, "key", "0x09", "0", "0", "0", "value", "1", "2", "3", "4", "5", "6", "7", "010", "noexist");
        Tools.Ebpf("map", "update", "pinned", perCpu, "key", "hex", "05", "00", "00", "00", "value", "5", "0", "0", "0", "0", "0", "0", "0");
        foreach (string pinned in new[] { counts, perCpu })
        {
            JsonCompare.Equal(Tools.BpftoolJson("map", "dump", "pinned", pinned), Tools.EbpfJson("map", "dump", "pinned", pinned));
            JsonCompare.Equal(Tools.BpftoolJson("map", "getnext", "pinned", pinned), Tools.EbpfJson("map", "getnext", "pinned", pinned));
        }
        string[] key7 = ["key", "7", "0", "0", "0"];
        JsonCompare.Equal(Tools.BpftoolJson(["map", "lookup", "pinned", counts, .. key7]), Tools.EbpfJson(["map", "lookup", "pinned", counts, .. key7]));
        // getnext from the first key (bpftool fails after the last one, as ebpf does).
        string[] first = ["key", "hex", .. Tools.BpftoolJson("map", "getnext", "pinned", counts).GetProperty("next_key").EnumerateArray().Select(b => b.GetString()![2..])];
        JsonCompare.Equal(Tools.BpftoolJson(["map", "getnext", "pinned", counts, .. first]), Tools.EbpfJson(["map", "getnext", "pinned", counts, .. first]));
        string last = Tools.EbpfJson("map", "dump", "pinned", counts)[1].GetProperty("key").EnumerateArray().Aggregate("", (s, b) => s + " " + b.GetString()![2..]);
        Assert.NotEqual(0, Tools.TryEbpf(["map", "getnext", "pinned", counts, "key", "hex", .. last.Split(' ', StringSplitOptions.RemoveEmptyEntries)]).ExitCode);
        JsonElement value = Tools.BpftoolJson("map", "lookup", "pinned", counts, "key", "9", "0", "0", "0").GetProperty("formatted").GetProperty("value");
        Assert.Equal(0x0807060504030201UL, value.GetUInt64());   // "010" is octal 8, as in bpftool

        // noexist on an existing key fails with one line naming the errno; exist on a missing key likewise.
        var (code, _, stderr) = Tools.TryEbpf("map", "update", "pinned", counts, "key", "7", "0", "0", "0", "value", "0", "0", "0", "0", "0", "0", "0", "0", "noexist");
        Assert.Equal(1, code);
        Assert.Contains("EEXIST", stderr, StringComparison.Ordinal);
        Tools.Ebpf("map", "delete", "pinned", counts, "key", "7", "0", "0", "0");
        Assert.NotEqual(0, Tools.TryBpftool("map", "lookup", "pinned", counts, "key", "7", "0", "0", "0").ExitCode);
    }

    [Fact]
    public void Dump_FormattedStructsEnumsBitfieldsStringsUnions_EqualBpftool()
    {
        using var obj = new LoadedObject("tests/map_values.o");
        string shapes = obj.Map("shapes");
        // f: low=5 mid=300 negative=-3 -> bits 0-2 = 5, 3-11 = 300, 12-15 = 0b1101.
        uint bits = 5u | (300u << 3) | (0xdu << 12);
        byte[] value = new byte[56];                                // big is 8-aligned: at 48
        BitConverter.GetBytes(bits).CopyTo(value, 0);
        BitConverter.GetBytes(4).CopyTo(value, 4);                  // BLUE
        BitConverter.GetBytes(-1).CopyTo(value, 8);                 // DOWN
        "abc"u8.ToArray().CopyTo(value, 12);                        // label "abc"
        new byte[] { 1, 0xff, 0, 7 }.CopyTo(value, 20);             // raw: not a string
        for (int i = 0; i < 6; i++) BitConverter.GetBytes((short)(i - 2)).CopyTo(value, 24 + 2 * i);
        BitConverter.GetBytes(0x01020304u).CopyTo(value, 36);       // union
        value[40] = 1;                                              // on
        BitConverter.GetBytes(-42L).CopyTo(value, 48);
        Tools.Ebpf(["map", "update", "pinned", shapes, "key", "1", "0", "0", "0", "value", .. value.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        value[4] = 3;                                               // not an enumerator: printed as a number
        Tools.Ebpf(["map", "update", "pinned", shapes, "key", "2", "0", "0", "0", "value", .. value.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        Tools.Ebpf("map", "update", "pinned", obj.Map("by_port"), "key", "53", "0", "17", "0", "value", "hex", "fe", "ff", "ff", "ff");
        Tools.Ebpf("map", "update", "pinned", obj.Map("colours"), "key", "1", "0", "0", "0", "value", "2", "0", "0", "0");
        foreach (string map in new[] { "shapes", "by_port", "colours", "map_valu_data", "map_valu_bss" })
        {
            JsonCompare.Equal(Tools.BpftoolJson("map", "dump", "pinned", obj.Map(map)), Tools.EbpfJson("map", "dump", "pinned", obj.Map(map)));
            // Text: bpftool's formatted document (bitfields as bare 0x.., not JSON), compared without whitespace.
            static string Squeeze(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));
            Assert.Equal(Squeeze(Tools.Bpftool("map", "dump", "pinned", obj.Map(map))), Squeeze(Tools.Ebpf("map", "dump", "pinned", obj.Map(map))));
        }
        JsonElement formatted = Tools.EbpfJson("map", "lookup", "pinned", shapes, "key", "1", "0", "0", "0").GetProperty("formatted").GetProperty("value");
        Assert.Equal("0xd", formatted.GetProperty("f").GetProperty("negative").GetString());   // raw bits, as bpftool
        Assert.Equal("BLUE", formatted.GetProperty("colour").GetString());
        Assert.Equal("abc", formatted.GetProperty("label").GetString());
    }

    [Fact]
    public void MapOfMaps_UpdateById_StoresTheInnerMap()
    {
        using var obj = new LoadedObject("tests/maps_mix.o");
        string innerId = LoadedObject.IdOf("map", obj.Map("inner"));
        Tools.Ebpf("map", "update", "pinned", obj.Map("outer"), "key", "1", "0", "0", "0", "value", "id", innerId);
        JsonCompare.Equal(Tools.BpftoolJson("map", "dump", "pinned", obj.Map("outer")), Tools.EbpfJson("map", "dump", "pinned", obj.Map("outer")));
        Assert.Equal(2, Tools.EbpfJson("map", "dump", "pinned", obj.Map("outer")).GetArrayLength());
    }

    [Fact]
    public void Create_Queue_PushPeekPop_AgreeWithBpftool_AndFreezeShows()
    {
        Tools.RequireKernel();
        using var dir = new Ebpf.Testing.BpfFsDirectory();
        string q = dir["q"];
        Tools.Ebpf("map", "create", q, "type", "queue", "key", "0", "value", "4", "entries", "4", "name", "cli_q");
        Tools.Ebpf("map", "push", "pinned", q, "value", "1", "0", "0", "0");
        Tools.Ebpf("map", "enqueue", "pinned", q, "value", "2", "0", "0", "0");
        JsonCompare.Equal(Tools.BpftoolJson("map", "peek", "pinned", q), Tools.EbpfJson("map", "peek", "pinned", q));
        JsonElement popped = Tools.EbpfJson("map", "pop", "pinned", q);
        Assert.Equal("0x01", popped.GetProperty("value")[0].GetString());
        Assert.Equal("0x02", Tools.BpftoolJson("map", "dequeue", "pinned", q).GetProperty("value")[0].GetString());
        var (code, _, stderr) = Tools.TryEbpf("map", "pop", "pinned", q);
        Assert.Equal(1, code);
        Assert.Contains("empty", stderr, StringComparison.Ordinal);

        string h = dir["h"];
        Tools.Ebpf("map", "create", h, "type", "hash", "key", "4", "value", "8", "entries", "16", "name", "cli_h", "flags", "1");
        Tools.Ebpf("map", "freeze", "pinned", h);
        JsonElement shown = Tools.BpftoolJson("map", "show", "pinned", h);
        Assert.Equal(1, shown.GetProperty("frozen").GetInt32());
        Assert.Equal(1, shown.GetProperty("flags").GetInt32());   // BPF_F_NO_PREALLOC
        JsonCompare.Equal(shown, Tools.EbpfJson("map", "show", "pinned", h));
        // No BTF: both print the plain "key: .. value: .." text and the element count.
        Assert.Equal(Tools.Bpftool("map", "dump", "pinned", h), Tools.Ebpf("map", "dump", "pinned", h));
    }

    [Fact]
    public void Pin_PinsTheMapById()
    {
        using var obj = new LoadedObject("xdp_drop_udp53.o");
        string id = LoadedObject.IdOf("map", obj.Map("drop_stats"));
        Tools.Ebpf("map", "pin", "id", id, obj.Directory["again"]);
        Assert.Equal(id, LoadedObject.IdOf("map", obj.Directory["again"]));
    }
}
