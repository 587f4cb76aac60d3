using System.Globalization;
using System.Text;
using System.Text.Json;
using Ebpf.Btf;
using Ebpf.Linux;

namespace Ebpf.Cli.Output;

/// <summary>
/// Map elements as bpftool prints them: JSON with the raw bytes (<c>key</c>, <c>value</c> or per-CPU <c>values</c>) and,
/// when the map has BTF, a <c>formatted</c> rendering; in text, the formatted rendering alone when there is BTF, else
/// hex lines.
/// </summary>
internal sealed class MapElementOutput(KernelMap map, MapInfo info, BtfSpec? btf)
{
    /// <summary>The output for <paramref name="map"/>, rendered through the BTF it was created with when it has any.</summary>
    public static MapElementOutput For(KernelMap map, MapInfo info) => new(map, info, BtfOf(info));

    // vmlinux's for struct_ops values, else the map's own. Rendering is a bonus: without BTF the bytes are still printed.
    private static BtfSpec? BtfOf(MapInfo info)
    {
        try
        {
            if (info.BtfVmlinuxValueTypeId != 0) return KernelBtf.TryGetVmlinux(out BtfSpec? vmlinux) ? vmlinux : null;
            return info.BtfValueTypeId != 0 && info.BtfId != 0 ? KernelBtf.Read(info.BtfId) : null;
        }
        catch (Exception e) when (e is BpfException or BtfFormatException or NotSupportedException)
        {
            return null;
        }
    }

    private uint ValueType => info.BtfVmlinuxValueTypeId != 0 ? info.BtfVmlinuxValueTypeId : info.BtfValueTypeId;

    /// <summary>Whether values render through BTF (bpftool then prints only the formatted form as text).</summary>
    public bool Formatted => btf is not null && ValueType != 0;

    /// <summary>bpftool's JSON element: raw bytes plus, with BTF, <c>formatted</c>.</summary>
    public void WriteJson(Utf8JsonWriter w, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        w.WriteStartObject();
        BpftoolJson.WriteHexArray(w, "key", key);
        if (map.IsPerCpu)
        {
            w.WriteStartArray("values");
            for (int cpu = 0; cpu < PossibleCpus.Count; cpu++)
            {
                w.WriteStartObject();
                w.WriteNumber("cpu", cpu);
                BpftoolJson.WriteHexArray(w, "value", value.Slice(cpu * map.ValueStride, map.ValueSize));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        else
        {
            BpftoolJson.WriteHexArray(w, "value", value[..map.ValueSize]);
        }
        if (Formatted)
        {
            w.WritePropertyName("formatted");
            WriteFormatted(w, key, value);
        }
        w.WriteEndObject();
    }

    /// <summary>The formatted element alone: <c>{"key":..,"value":..}</c> or with per-CPU <c>values</c>.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="key">The key's bytes.</param>
    /// <param name="value">The value's bytes (all CPUs' for per-CPU maps).</param>
    /// <param name="text">bpftool's plain-text form: bitfields as bare hex.</param>
    public void WriteFormatted(Utf8JsonWriter w, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool text = false)
    {
        w.WriteStartObject();
        if (info.BtfKeyTypeId != 0 && key.Length > 0)
        {
            w.WritePropertyName("key");
            BtfValueJson.Write(w, btf!, info.BtfKeyTypeId, key, text);
        }
        if (map.IsPerCpu)
        {
            w.WriteStartArray("values");
            for (int cpu = 0; cpu < PossibleCpus.Count; cpu++)
            {
                w.WriteStartObject();
                w.WriteNumber("cpu", cpu);
                w.WritePropertyName("value");
                BtfValueJson.Write(w, btf!, ValueType, value.Slice(cpu * map.ValueStride, map.ValueSize), text);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        else
        {
            w.WritePropertyName("value");
            BtfValueJson.Write(w, btf!, ValueType, value[..map.ValueSize], text);
        }
        w.WriteEndObject();
    }

    /// <summary>bpftool's hex text of an element (maps without BTF).</summary>
    public string Text(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var s = new StringBuilder();
        bool multiline = key.Length + map.ValueSize > 24 || map.IsPerCpu;   // bpftool breaks lines for long elements
        if (key.Length > 0) s.Append("key:").Append(multiline ? '\n' : ' ').Append(BpftoolJson.HexLine(key)).Append(multiline ? "\n" : "  ");
        if (map.IsPerCpu)
        {
            for (int cpu = 0; cpu < PossibleCpus.Count; cpu++)
                s.Append(CultureInfo.InvariantCulture, $"value (CPU {cpu:00}): ").Append(BpftoolJson.HexLine(value.Slice(cpu * map.ValueStride, map.ValueSize))).Append(' ').Append('\n');
        }
        else
        {
            s.Append("value:").Append(multiline ? '\n' : ' ').Append(BpftoolJson.HexLine(value[..map.ValueSize])).Append('\n');
        }
        return s.ToString();
    }
}
