namespace Ebpf.Elf;

/// <summary>The <c>sh_type</c> of a section. Values not listed here are kept as they are.</summary>
public enum ElfSectionType : uint
{
    /// <summary>SHT_NULL: the unused entry 0.</summary>
    Null = 0,
    /// <summary>SHT_PROGBITS: code or initialised data (program sections, <c>.data</c>, <c>.rodata</c>, <c>.BTF</c>).</summary>
    ProgBits = 1,
    /// <summary>SHT_SYMTAB: the symbol table.</summary>
    SymbolTable = 2,
    /// <summary>SHT_STRTAB: a string table.</summary>
    StringTable = 3,
    /// <summary>SHT_RELA: relocations with explicit addends.</summary>
    RelocationsWithAddends = 4,
    /// <summary>SHT_HASH.</summary>
    Hash = 5,
    /// <summary>SHT_DYNAMIC.</summary>
    Dynamic = 6,
    /// <summary>SHT_NOTE.</summary>
    Note = 7,
    /// <summary>SHT_NOBITS: zero-initialised data occupying no file space (<c>.bss</c>).</summary>
    NoBits = 8,
    /// <summary>SHT_REL: relocations without addends (what clang emits for BPF).</summary>
    Relocations = 9,
    /// <summary>SHT_DYNSYM.</summary>
    DynamicSymbolTable = 11,
    /// <summary>SHT_SYMTAB_SHNDX: extended section indices of symbols.</summary>
    SymbolTableSectionIndices = 18,
    /// <summary>SHT_LLVM_ADDRSIG: address-significance table clang adds to objects.</summary>
    LlvmAddrsig = 0x6fff4c03,
}
