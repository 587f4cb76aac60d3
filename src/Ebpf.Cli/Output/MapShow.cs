using System.Globalization;
using System.Text;
using System.Text.Json;
using Ebpf.Linux;

namespace Ebpf.Cli.Output;

/// <summary>One map as <c>bpftool map show</c> prints it, in JSON and in text.</summary>
internal static class MapShow
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The fields bpftool prints, gathered once for both forms.</summary>
    public sealed record Row(MapInfo Info, long? Memlock, bool? Frozen);

    /// <summary>Reads what <c>map show</c> prints about the map behind <paramref name="handle"/>.</summary>
    public static Row Read(SafeBpfHandle handle, MapInfo info)
    {
        FdInfo fdInfo = FdInfo.Read(handle);
        return new Row(info, fdInfo.Memlock, fdInfo.Frozen);
    }

    private static void WriteJson(Utf8JsonWriter w, Row row)
    {
        MapInfo i = row.Info;
        BpftoolJson.WriteStart(w, i.Id, KernelEnumNames.Name(i.Type), i.Name);
        w.WriteNumber("flags", (uint)i.Flags);
        w.WriteNumber("bytes_key", i.KeySize);
        w.WriteNumber("bytes_value", i.ValueSize);
        w.WriteNumber("max_entries", i.MaxEntries);
        if (row.Memlock is { } memlock) w.WriteNumber("bytes_memlock", memlock);
        if (row.Frozen is { } frozen) w.WriteNumber("frozen", frozen ? 1 : 0);
        if (i.BtfId != 0) w.WriteNumber("btf_id", i.BtfId);
        if (i.BtfVmlinuxValueTypeId != 0) w.WriteNumber("btf_vmlinux_value_type_id", i.BtfVmlinuxValueTypeId);
        w.WriteEndObject();
    }

    private static string Text(Row row)
    {
        MapInfo i = row.Info;
        StringBuilder s = BpftoolJson.TextStart(i.Id, KernelEnumNames.Name(i.Type), i.Name);
        s.Append(C, $"flags 0x{(uint)i.Flags:x}\n");
        s.Append(C, $"\tkey {i.KeySize}B  value {i.ValueSize}B  max_entries {i.MaxEntries}");
        if (row.Memlock is { } memlock) s.Append(C, $"  memlock {memlock}B");
        if (row.Frozen == true) s.Append("  frozen");
        s.Append('\n');
        if (i.BtfId != 0) s.Append(C, $"\tbtf_id {i.BtfId}\n");
        return s.ToString();
    }

    /// <summary>How <c>map show</c> prints rows.</summary>
    public static readonly ShowFormat<Row> Format = new("maps", ["ID", "TYPE", "NAME", "FLAGS", "KEY", "VALUE", "MAX_ENTRIES", "MEMLOCK", "BTF"], WriteJson, Text, Cells);

    private static string[] Cells(Row row)
    {
        MapInfo i = row.Info;
        return
        [
            i.Id.ToString(C), KernelEnumNames.Name(i.Type), i.Name + (row.Frozen == true ? " (frozen)" : ""), $"0x{(uint)i.Flags:x}",
            i.KeySize.ToString(C) + "B", i.ValueSize.ToString(C) + "B", i.MaxEntries.ToString(C),
            row.Memlock is { } m ? m.ToString(C) + "B" : "-", i.BtfId == 0 ? "-" : i.BtfId.ToString(C),
        ];
    }
}
