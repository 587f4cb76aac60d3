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
}
