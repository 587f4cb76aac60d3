using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ebpf.Cli.Output;

/// <summary>Small pieces of bpftool's JSON and text vocabulary shared by the prog and map commands.</summary>
internal static class BpftoolJson
{
    /// <summary>Bytes as bpftool prints them in JSON: <c>["0x01","0x00"]</c>.</summary>
    public static void WriteHexArray(Utf8JsonWriter w, string name, ReadOnlySpan<byte> bytes)
    {
        w.WriteStartArray(name);
        foreach (byte b in bytes) w.WriteStringValue("0x" + b.ToString("x2", CultureInfo.InvariantCulture));
        w.WriteEndArray();
    }

    /// <summary>Bytes as bpftool prints them in text: <c>01 00 00 00</c>, 16 to a line.</summary>
    public static string HexLine(ReadOnlySpan<byte> bytes)
    {
        var s = new StringBuilder(bytes.Length * 3);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i > 0) s.Append(i % 16 == 0 ? '\n' : ' ');
            s.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
        }
        return s.ToString();
    }

    /// <summary>A list of ids as bpftool prints them in text: <c>3,4,5</c>.</summary>
    public static string IdList(IEnumerable<uint> ids) => string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A time as bpftool prints <c>loaded_at</c> in text: local time, <c>2026-12-05T19:10:15+0000</c>.</summary>
    public static string Time(DateTimeOffset time)
    {
        DateTimeOffset local = time.ToLocalTime();
        TimeSpan offset = local.Offset;
        string sign = offset < TimeSpan.Zero ? "-" : "+";
        return local.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + sign + offset.ToString("hhmm", CultureInfo.InvariantCulture);
    }

    /// <summary>Opens the object <c>show</c> prints for a program or map: id, type, and the name when it has one.</summary>
    public static void WriteStart(Utf8JsonWriter w, uint id, string type, string name)
    {
        w.WriteStartObject();
        w.WriteNumber("id", id);
        w.WriteString("type", type);
        if (name.Length > 0) w.WriteString("name", name);
    }

    /// <summary>The start of <c>show</c>'s text for a program or map: <c>ID: TYPE  name NAME  </c>.</summary>
    public static StringBuilder TextStart(uint id, string type, string name)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"{id}: {type}  ");
        if (name.Length > 0) s.Append("name ").Append(name).Append("  ");
        return s;
    }
}
