namespace Ebpf.Elf;

/// <summary>
/// A parsed ELF64 little-endian object for <c>EM_BPF</c>, as clang and gcc write them: section headers, the symbol
/// table and the relocation tables, each checked against the file's bounds. The reader keeps the file's bytes and
/// hands out slices of them (<see cref="ElfSection.Data"/>); nothing is copied after <see cref="Read(byte[])"/>.
/// </summary>
/// <remarks>
/// Malformed input of any kind raises <see cref="ElfFormatException"/> naming the section, offset and field;
/// no other exception type leaves the reader. Program headers are ignored (relocatable objects have none).
/// </remarks>
public sealed partial class ElfFile
{
    /// <summary><c>EM_BPF</c>: the machine number of BPF objects.</summary>
    public const ushort MachineBpf = 247;

    /// <summary><c>ET_REL</c>: a relocatable object (what <c>clang -c</c> writes).</summary>
    public const ushort TypeRelocatable = 1;

    private readonly Dictionary<int, ElfRelocationSection> _relocationsByTarget;

    private ElfFile(ReadOnlyMemory<byte> image, ushort fileType, uint flags, IReadOnlyList<ElfSection> sections,
        ElfSection? symbolTable, IReadOnlyList<ElfSymbol> symbols, IReadOnlyList<ElfRelocationSection> relocationSections)
    {
        Image = image;
        FileType = fileType;
        Flags = flags;
        Sections = sections;
        SymbolTable = symbolTable;
        Symbols = symbols;
        RelocationSections = relocationSections;
        _relocationsByTarget = [];
        foreach (ElfRelocationSection rel in relocationSections)
            _relocationsByTarget.TryAdd(rel.Target.Index, rel);
    }

    /// <summary>The whole file.</summary>
    public ReadOnlyMemory<byte> Image { get; }

    /// <summary><c>e_type</c>; <see cref="TypeRelocatable"/> for objects written by <c>clang -c</c>.</summary>
    public ushort FileType { get; }

    /// <summary><c>e_flags</c>.</summary>
    public uint Flags { get; }

    /// <summary>All section headers in index order, including the null section at index 0 (when there are any).</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>The SHT_SYMTAB section, or null when the object has none.</summary>
    public ElfSection? SymbolTable { get; }

    /// <summary>All symbols in index order, including the null symbol at index 0 (empty without a symbol table).</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>All SHT_REL and SHT_RELA sections in section order.</summary>
    public IReadOnlyList<ElfRelocationSection> RelocationSections { get; }

    /// <summary>Parses an object, keeping <paramref name="image"/> (not copied: do not change it afterwards).</summary>
    /// <exception cref="ElfFormatException">The bytes are not a well-formed ELF64 little-endian BPF object.</exception>
    public static ElfFile Read(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Parse(image);
    }

    /// <summary>Parses an object from a copy of <paramref name="image"/>.</summary>
    /// <exception cref="ElfFormatException">The bytes are not a well-formed ELF64 little-endian BPF object.</exception>
    public static ElfFile Read(ReadOnlySpan<byte> image) => Parse(image.ToArray());

    /// <summary>Reads and parses the object file at <paramref name="path"/>.</summary>
    /// <exception cref="ElfFormatException">The file is not a well-formed ELF64 little-endian BPF object.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ElfFile Load(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>The section at <paramref name="index"/>.</summary>
    /// <exception cref="ElfFormatException">There is no such section.</exception>
    public ElfSection GetSection(int index) =>
        (uint)index < (uint)Sections.Count
            ? Sections[index]
            : throw new ElfFormatException($"section index {index} is out of range (the object has {Sections.Count} sections)");

    /// <summary>The first section named <paramref name="name"/>, or null.</summary>
    public ElfSection? FindSection(string name)
    {
        foreach (ElfSection section in Sections)
            if (section.Name == name) return section;
        return null;
    }

    /// <summary>The relocation table that patches <paramref name="target"/>, or null when nothing patches it.</summary>
    public ElfRelocationSection? RelocationsFor(ElfSection target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return _relocationsByTarget.GetValueOrDefault(target.Index);
    }

    /// <summary>The symbol at <paramref name="index"/>.</summary>
    /// <exception cref="ElfFormatException">There is no such symbol.</exception>
    public ElfSymbol GetSymbol(int index) =>
        (uint)index < (uint)Symbols.Count
            ? Symbols[index]
            : throw new ElfFormatException($"symbol index {index} is out of range (the symbol table has {Symbols.Count} entries)", SymbolTable?.Name);

    /// <summary>The string table in section <paramref name="sectionIndex"/>.</summary>
    /// <exception cref="ElfFormatException">There is no such section or it is not a string table.</exception>
    public ElfStringTable GetStringTable(int sectionIndex)
    {
        ElfSection section = GetSection(sectionIndex);
        if (section.Type != ElfSectionType.StringTable)
            throw new ElfFormatException($"expected a string table, found {section.Type}", section.Name, (long)section.Offset, "sh_type");
        return new ElfStringTable(section);
    }
}
