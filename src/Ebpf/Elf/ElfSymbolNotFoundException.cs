namespace Ebpf.Elf;

/// <summary>An executable or shared library does not define the symbol a uprobe was asked for.</summary>
public sealed class ElfSymbolNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception for <paramref name="symbol"/> missing from <paramref name="file"/>.</summary>
    public ElfSymbolNotFoundException(string file, string symbol, string? detail = null)
        : base($"{file}: no symbol '{symbol}' in .symtab or .dynsym{(detail is null ? "" : "; " + detail)}")
        => (File, Symbol) = (file, symbol);

    /// <summary>Creates the exception with a plain message.</summary>
    public ElfSymbolNotFoundException() : this("?", "?") { }

    /// <summary>Creates the exception with a plain message and an inner exception.</summary>
    public ElfSymbolNotFoundException(string message, Exception inner) : base(message, inner) => (File, Symbol) = ("?", "?");

    /// <summary>The file searched.</summary>
    public string File { get; }

    /// <summary>The symbol looked for.</summary>
    public string Symbol { get; }
}
