namespace Ebpf;

/// <summary>
/// An object's code cannot be linked as libbpf would link it: a relocation against an unknown symbol or map, a
/// call into something that is not a subprogram, a <c>.maps</c> slot that names no map. Names the section,
/// instruction offset and symbol.
/// </summary>
public sealed class ObjectRelocationException : ObjectFormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="section">The section holding the relocated instruction or data.</param>
    /// <param name="offset">The byte offset in that section.</param>
    /// <param name="symbol">The symbol the relocation refers to, if any.</param>
    public ObjectRelocationException(string message, string? section = null, long? offset = null, string? symbol = null)
        : base(symbol is null ? message : $"{message} (symbol '{symbol}')", section, offset, symbol is null ? null : "symbol")
    {
        Symbol = symbol;
    }

    /// <summary>The symbol involved, when there is one.</summary>
    public string? Symbol { get; }
}
