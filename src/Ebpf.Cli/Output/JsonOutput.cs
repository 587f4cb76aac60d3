using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ebpf.Cli.Output;

/// <summary>Writes JSON to standard output the way bpftool does: compact with <c>-j</c>, indented with <c>-p</c>.</summary>
internal static class JsonOutput
{
    /// <summary>Writes one JSON document produced by <paramref name="write"/> followed by a newline.</summary>
    public static void Write(TextWriter output, bool pretty, Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = pretty,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // bpftool prints '<' and '+' as they are
        }))
        {
            write(writer);
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>
    /// Writes the array property <paramref name="name"/> with one object per item, <paramref name="fields"/> writing
    /// each object's fields: the shape of bpftool's lists (members, pids, functions, maps...).
    /// </summary>
    public static void WriteObjects<T>(this Utf8JsonWriter w, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> fields)
    {
        w.WriteStartArray(name);
        foreach (T item in items)
        {
            w.WriteStartObject();
            fields(w, item);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Writes the array property <paramref name="name"/> of numbers (bpftool's <c>map_ids</c>, <c>prog_ids</c>).</summary>
    public static void WriteNumbers(this Utf8JsonWriter w, string name, IEnumerable<uint> values)
    {
        w.WriteStartArray(name);
        foreach (uint v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
