namespace Ebpf.Elf;

/// <summary>One entry of the symbol table (<c>Elf64_Sym</c>).</summary>
/// <param name="Index">The index in the symbol table (relocations refer to symbols by index; 0 is the null symbol).</param>
/// <param name="Name">The name from the symbol string table; empty for section symbols and the null symbol.</param>
/// <param name="Value"><c>st_value</c>: the byte offset in its section (relocatable objects).</param>
/// <param name="Size"><c>st_size</c>: the size in bytes of a function or object.</param>
/// <param name="Binding">Local, global or weak.</param>
/// <param name="Type">Function, object, section, ...</param>
/// <param name="Visibility">Default, hidden, ...</param>
/// <param name="SectionIndex"><c>st_shndx</c>: the section the symbol is defined in, 0 when undefined, or a reserved index.</param>
public readonly record struct ElfSymbol(
    int Index, string Name, ulong Value, ulong Size, ElfSymbolBinding Binding, ElfSymbolType Type,
    ElfSymbolVisibility Visibility, ushort SectionIndex)
{
    /// <summary>SHN_UNDEF: the symbol is not defined in this object (an extern).</summary>
    public const ushort UndefinedSection = 0;

    /// <summary>SHN_LORESERVE: section indices from here are reserved, not real sections.</summary>
    public const ushort FirstReservedSection = 0xff00;

    /// <summary>SHN_ABS: the value is absolute, not relative to a section.</summary>
    public const ushort AbsoluteSection = 0xfff1;

    /// <summary>SHN_COMMON: an unallocated common block.</summary>
    public const ushort CommonSection = 0xfff2;

    /// <summary>Whether the symbol is defined in another object (<c>extern</c>, <c>__ksym</c>, <c>__kconfig</c>).</summary>
    public bool IsUndefined => SectionIndex == UndefinedSection && Index != 0;

    /// <summary>Whether <see cref="SectionIndex"/> names a real section.</summary>
    public bool IsInSection => SectionIndex != UndefinedSection && SectionIndex < FirstReservedSection;
}
