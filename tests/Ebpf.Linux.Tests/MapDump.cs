using System.Globalization;
using System.Text.Json;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary><c>bpftool map dump id N -j</c>, as hex key → hex value(s) (per-CPU maps: values joined with '|').</summary>
internal static class MapDump
{
    internal static Dictionary<string, string> ById(uint id)
    {
        var result = new Dictionary<string, string>();
        foreach (JsonElement e in BpfTool.Json("map", "dump", "id", id.ToString(CultureInfo.InvariantCulture)).EnumerateArray())
        {
            string key = e.TryGetProperty("key", out var k) ? Hex(k) : "";
            string value = e.TryGetProperty("values", out var vs)
                ? string.Join('|', vs.EnumerateArray().OrderBy(v => v.GetProperty("cpu").GetInt32()).Select(v => Hex(v.GetProperty("value"))))
                : Hex(e.GetProperty("value"));
            result[key] = value;
        }
        return result;
    }

    /// <summary>bpftool prints bytes as ["0x01", "0x00", ...].</summary>
    internal static string Hex(JsonElement bytes) => bytes.ValueKind == JsonValueKind.Object
        ? "error:" + bytes.GetProperty("error").GetString()           // bpftool could not read the value
        : string.Concat(bytes.EnumerateArray().Select(b => b.GetString()!.Replace("0x", "", StringComparison.Ordinal)));

    internal static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
