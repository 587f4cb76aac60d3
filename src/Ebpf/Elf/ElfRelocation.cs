namespace Ebpf.Elf;

/// <summary>One relocation entry (<c>Elf64_Rel</c>, or <c>Elf64_Rela</c> with an addend).</summary>
/// <param name="Offset"><c>r_offset</c>: the byte offset in the target section of the word to patch.</param>
/// <param name="SymbolIndex">The symbol whose address is patched in (index into <see cref="ElfFile.Symbols"/>).</param>
/// <param name="Type">The relocation type.</param>
/// <param name="Addend">The explicit addend of a RELA entry; 0 for REL (the addend is the patched word itself).</param>
public readonly record struct ElfRelocation(ulong Offset, int SymbolIndex, BpfRelocationType Type, long Addend = 0);
