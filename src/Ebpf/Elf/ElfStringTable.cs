using System.Text;

namespace Ebpf.Elf;

/// <summary>A string table section: NUL-terminated UTF-8 strings addressed by byte offset.</summary>
public sealed class ElfStringTable
{
    private readonly ReadOnlyMemory<byte> _data;

    internal ElfStringTable(ElfSection section)
    {
        Section = section;
        _data = section.Data;
    }

    /// <summary>The section holding the strings.</summary>
    public ElfSection Section { get; }

    /// <summary>The string starting at byte <paramref name="offset"/>.</summary>
    /// <param name="offset">Byte offset into the table.</param>
    /// <param name="field">What refers to the string, for the error message (<c>"sh_name of section 3"</c>).</param>
    /// <exception cref="ElfFormatException">The offset is outside the table or the string is not NUL-terminated.</exception>
    public string Get(uint offset, string field = "string offset")
    {
        ReadOnlySpan<byte> data = _data.Span;
        if (offset >= (uint)data.Length)
            throw new ElfFormatException($"string offset {offset} is outside the {data.Length}-byte string table", Section.Name, (long)Section.Offset, field);
        ReadOnlySpan<byte> rest = data[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0)
            throw new ElfFormatException($"string at offset {offset} is not NUL-terminated", Section.Name, (long)Section.Offset + offset, field);
        return Encoding.UTF8.GetString(rest[..end]);
    }
}
