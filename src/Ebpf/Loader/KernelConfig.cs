using System.IO.Compression;

namespace Ebpf.Loader;

/// <summary>
/// Reads a kernel configuration (the text of <c>/boot/config-$(uname -r)</c>, or <c>/proc/config.gz</c>
/// decompressed) into the <c>CONFIG_X → value</c> map <see cref="CollectionLoadOptions.KernelConfig"/> takes.
/// The caller opens the file: this project does not touch <c>/proc</c> or <c>/boot</c>.
/// </summary>
public static class KernelConfig
{
    /// <summary>Parses configuration text: <c>CONFIG_X=value</c> lines; comments (<c># CONFIG_X is not set</c>) are skipped.</summary>
    /// <remarks>Values are kept as written: <c>y</c>, <c>m</c>, <c>n</c>, numbers, or strings with their quotes.</remarks>
    /// <exception cref="FormatException">A line is neither a comment, blank, nor <c>CONFIG_X=value</c>.</exception>
    public static IReadOnlyDictionary<string, string> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        int number = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            string text = line.Trim();
            if (text.Length == 0 || text[0] == '#') continue;
            int eq = text.IndexOf('=', StringComparison.Ordinal);
            if (!text.StartsWith("CONFIG_", StringComparison.Ordinal) || eq < 0)
                throw new FormatException($"kernel config line {number} is not CONFIG_X=value: '{line}'");
            result[text[..eq]] = text[(eq + 1)..];
        }
        return result;
    }

    /// <summary>Parses configuration text held in a string.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Parse(reader);
    }

    /// <summary>Parses a configuration stream, gzip-compressed (<c>/proc/config.gz</c>) or plain (detected by its magic).</summary>
    public static IReadOnlyDictionary<string, string> Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        buffer.Position = 0;
        bool gzip = buffer.Length >= 2 && buffer.GetBuffer()[0] == 0x1f && buffer.GetBuffer()[1] == 0x8b;
        using Stream source = gzip ? new GZipStream(buffer, CompressionMode.Decompress, leaveOpen: true) : buffer;
        using var reader = new StreamReader(source, leaveOpen: true);
        return Parse(reader);
    }
}
