namespace Ebpf;

/// <summary>
/// An object file (ELF, BTF, ...) is malformed: the message names the section, the byte offset and the field that
/// is wrong, so a broken object can be diagnosed without a hex editor.
/// </summary>
public class ObjectFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong; <paramref name="section"/>, <paramref name="offset"/> and <paramref name="field"/> are prepended.</param>
    /// <param name="section">The section the problem is in, if any.</param>
    /// <param name="offset">The byte offset (in the file unless the message says otherwise), if known.</param>
    /// <param name="field">The header or table field that is wrong, if any.</param>
    public ObjectFormatException(string message, string? section = null, long? offset = null, string? field = null)
        : base(Compose(message, section, offset, field))
    {
        Section = section;
        Offset = offset;
        Field = field;
        Reason = message;
    }

    /// <summary>Creates the exception with the exception that caused it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="inner">The cause.</param>
    /// <param name="section">The section the problem is in, if any.</param>
    public ObjectFormatException(string message, Exception? inner, string? section = null)
        : base(Compose(message, section, null, null), inner)
    {
        Section = section;
        Reason = message;
    }

    /// <summary>The section the problem is in, or null when it is in a file header.</summary>
    public string? Section { get; }

    /// <summary>The byte offset of the problem, when known.</summary>
    public long? Offset { get; }

    /// <summary>The field that is wrong, when one is.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    private static string Compose(string message, string? section, long? offset, string? field)
    {
        var where = new List<string>(3);
        if (section is not null) where.Add($"section {section}");
        if (offset is not null) where.Add($"offset 0x{offset.Value:x}");
        if (field is not null) where.Add(field);
        return where.Count == 0 ? message : $"{string.Join(", ", where)}: {message}";
    }
}
