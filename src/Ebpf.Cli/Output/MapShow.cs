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

    /// <summary>bpftool's JSON object.</summary>
    public static void WriteJson(Utf8JsonWriter w, Row row)
    {
        MapInfo i = row.Info;
        w.WriteStartObject();
        w.WriteNumber("id", i.Id);
        w.WriteString("type", KernelEnumNames.Name(i.Type));
        if (i.Name.Length > 0) w.WriteString("name", i.Name);
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

    /// <summary>bpftool's plain text.</summary>
    public static string Text(Row row)
    {
        MapInfo i = row.Info;
        var s = new StringBuilder();
        s.Append(C, $"{i.Id}: {KernelEnumNames.Name(i.Type)}  ");
        if (i.Name.Length > 0) s.Append(C, $"name {i.Name}  ");
        s.Append(C, $"flags 0x{(uint)i.Flags:x}\n");
        s.Append(C, $"\tkey {i.KeySize}B  value {i.ValueSize}B  max_entries {i.MaxEntries}");
        if (row.Memlock is { } memlock) s.Append(C, $"  memlock {memlock}B");
        if (row.Frozen == true) s.Append("  frozen");
        s.Append('\n');
        if (i.BtfId != 0) s.Append(C, $"\tbtf_id {i.BtfId}\n");
        return s.ToString();
    }

    /// <summary>The columns of the terminal table.</summary>
    public static readonly string[] Header = ["ID", "TYPE", "NAME", "FLAGS", "KEY", "VALUE", "MAX_ENTRIES", "MEMLOCK", "BTF"];

    /// <summary>One table row.</summary>
    public static string[] Cells(Row row)
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
