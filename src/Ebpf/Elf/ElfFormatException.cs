namespace Ebpf.Elf;

/// <summary>
/// The bytes are not a well-formed ELF64 little-endian BPF object. Every check of <see cref="ElfFile"/> raises this
/// type, never an index or overflow exception, so callers (and fuzzers) need to catch only one type.
/// </summary>
public sealed class ElfFormatException : ObjectFormatException
{
    /// <summary>Creates the exception; see <see cref="ObjectFormatException(string, string?, long?, string?)"/>.</summary>
    public ElfFormatException(string message, string? section = null, long? offset = null, string? field = null)
        : base(message, section, offset, field)
    {
    }
}
