namespace Ebpf.Elf;

/// <summary>A symbol of an executable or shared library, with the file offset a uprobe needs.</summary>
/// <param name="Name">The name as the table spells it (a <c>.symtab</c> name may carry <c>@VERSION</c>).</param>
/// <param name="Value">The virtual address (st_value).</param>
/// <param name="Size">The size in bytes (st_size).</param>
/// <param name="Type">The symbol type (STT_*).</param>
/// <param name="Binding">The binding (STB_*).</param>
/// <param name="FileOffset">Where the symbol's first byte lies in the file: the uprobe offset.</param>
/// <param name="IsDynamic">True when found in <c>.dynsym</c>, false for <c>.symtab</c>.</param>
public readonly record struct ElfBinarySymbol(string Name, ulong Value, ulong Size, ElfSymbolType Type, ElfSymbolBinding Binding,
    ulong FileOffset, bool IsDynamic);
