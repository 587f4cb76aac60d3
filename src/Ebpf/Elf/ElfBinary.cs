using System.Buffers.Binary;
using System.Text;

namespace Ebpf.Elf;

/// <summary>
/// An ELF executable or shared library (ET_EXEC, ET_DYN; 64-bit little-endian) read far enough to place uprobes: its
/// program headers, sections, and the symbols of <c>.symtab</c> and <c>.dynsym</c> with their file offsets. Every
/// read is bounds-checked: a truncated or corrupt file gives an <see cref="ElfFormatException"/> naming the field.
/// </summary>
/// <remarks>
/// A symbol's file offset is found as libbpf does: through the section that holds it (st_value - sh_addr + sh_offset),
/// or, without section headers, through the PT_LOAD segment containing its address (vaddr - p_vaddr + p_offset).
/// </remarks>
public sealed class ElfBinary
{
    private const ushort TypeExec = 2, TypeDyn = 3;
    private const uint SectionSymtab = 2, SectionDynsym = 11, SectionNobits = 8;
    private const uint SegmentLoad = 1;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly Section[] _sections;
    private readonly Segment[] _segments;
    private ElfBinarySymbol[]? _symbols;
    private Dictionary<string, int>? _byName;     // plain name (version suffix cut) -> first index, exact names first

    private readonly record struct Section(string Name, uint Type, ulong Address, ulong Offset, ulong Size, uint Link, ulong EntrySize);
    private readonly record struct Segment(uint Type, ulong Offset, ulong VirtualAddress, ulong FileSize, ulong MemorySize, uint Flags);

    private ElfBinary(string path, ReadOnlyMemory<byte> data)
    {
        Path = path;
        _data = data;
        ReadOnlySpan<byte> d = data.Span;
        Need(d, 0, 64, "ELF header");
        if (!d[..4].SequenceEqual("\u007fELF"u8)) throw Bad("not an ELF file (bad magic)", 0, "e_ident");
        if (d[4] != 2) throw Bad($"ELFCLASS{(d[4] == 1 ? "32" : d[4].ToString(System.Globalization.CultureInfo.InvariantCulture))} is not supported (64-bit ELF only)", 4, "EI_CLASS");
        if (d[5] != 1) throw Bad("big-endian ELF is not supported", 5, "EI_DATA");
        FileType = U16(d, 16);
        if (FileType is not (TypeExec or TypeDyn))
            throw Bad($"e_type {FileType} is neither ET_EXEC (2) nor ET_DYN (3): not an executable or shared library", 16, "e_type");
        Machine = U16(d, 18);
        _segments = ReadSegments(d);
        _sections = ReadSections(d);
    }

    /// <summary>The file's path (or the name given to <see cref="Parse"/>).</summary>
    public string Path { get; }

    /// <summary>e_type: 2 (ET_EXEC, a fixed-address executable) or 3 (ET_DYN, a shared library or PIE).</summary>
    public ushort FileType { get; }

    /// <summary>True for ET_DYN (a shared library or a position-independent executable).</summary>
    public bool IsDynamic => FileType == TypeDyn;

    /// <summary>e_machine (62: x86-64, 183: AArch64).</summary>
    public ushort Machine { get; }

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="ElfFormatException">Not a 64-bit little-endian ELF executable or shared library, or corrupt.</exception>
    public static ElfBinary Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new ElfBinary(path, File.ReadAllBytes(path));
    }

    /// <summary>Parses ELF bytes; <paramref name="name"/> is used in messages.</summary>
    /// <exception cref="ElfFormatException">Not a 64-bit little-endian ELF executable or shared library, or corrupt.</exception>
    public static ElfBinary Parse(ReadOnlyMemory<byte> data, string name = "<memory>") => new(name, data);

    /// <summary>The defined symbols of <c>.symtab</c> (first) and <c>.dynsym</c>; undefined and section/file symbols are left out.</summary>
    public IReadOnlyList<ElfBinarySymbol> Symbols => _symbols ??= ReadSymbols();

    /// <summary>Finds the defined symbol <paramref name="name"/> (<c>name@VERSION</c> in <c>.symtab</c> also matches a plain name).</summary>
    public bool TryFindSymbol(string name, out ElfBinarySymbol symbol)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _byName ??= IndexByName((ElfBinarySymbol[])Symbols);
        if (_byName.TryGetValue(name, out int index))
        {
            symbol = _symbols![index];
            return true;
        }
        symbol = default;
        return false;
    }

    // An exact name wins over "name@VERSION" (which a plain name also finds); the first of each kind wins.
    private static Dictionary<string, int> IndexByName(ElfBinarySymbol[] symbols)
    {
        var index = new Dictionary<string, int>(symbols.Length, StringComparer.Ordinal);
        for (int i = 0; i < symbols.Length; i++) index.TryAdd(symbols[i].Name, i);
        for (int i = 0; i < symbols.Length; i++)
        {
            int at = symbols[i].Name.IndexOf('@', StringComparison.Ordinal);
            if (at > 0) index.TryAdd(symbols[i].Name[..at], i);
        }
        return index;
    }

    /// <summary>The file offset of <paramref name="symbol"/> plus <paramref name="offset"/>: what a uprobe on it attaches to.</summary>
    /// <exception cref="ElfSymbolNotFoundException">The file does not define the symbol.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> lies beyond the symbol's size.</exception>
    public ulong SymbolFileOffset(string symbol, ulong offset = 0)
    {
        if (!TryFindSymbol(symbol, out ElfBinarySymbol s))
            throw new ElfSymbolNotFoundException(Path, symbol, Symbols.Count == 0 ? "the file has no symbols (stripped)" : null);
        if (offset != 0 && s.Size != 0 && offset >= s.Size)
            throw new ArgumentOutOfRangeException(nameof(offset), $"{Path}: offset {offset} lies beyond '{symbol}' ({s.Size} bytes)");
        return s.FileOffset + offset;
    }

    /// <summary>The file offset of virtual address <paramref name="address"/>, through the PT_LOAD segment containing it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No loadable segment holds the address in the file.</exception>
    public ulong AddressToFileOffset(ulong address)
    {
        foreach (Segment p in _segments)
            if (p.Type == SegmentLoad && address >= p.VirtualAddress && address - p.VirtualAddress < p.FileSize)
                return address - p.VirtualAddress + p.Offset;
        throw new ArgumentOutOfRangeException(nameof(address), $"{Path}: no PT_LOAD segment holds address 0x{address:x} in the file");
    }

    private ElfBinarySymbol[] ReadSymbols()
    {
        var result = new List<ElfBinarySymbol>();
        ReadOnlySpan<byte> d = _data.Span;
        foreach (uint kind in (ReadOnlySpan<uint>)[SectionSymtab, SectionDynsym])
        {
            foreach (Section table in _sections)
            {
                if (table.Type != kind) continue;
                if (table.EntrySize != 24) throw Bad($"symbol table {table.Name} has entries of {table.EntrySize} bytes, not 24", (long)table.Offset, "sh_entsize");
                if (table.Link >= _sections.Length) throw Bad($"symbol table {table.Name} links to section {table.Link}, which does not exist", (long)table.Offset, "sh_link");
                Section strings = _sections[table.Link];
                ReadOnlySpan<byte> strs = Slice(d, strings.Offset, strings.Size, $"string table {strings.Name}");
                ReadOnlySpan<byte> entries = Slice(d, table.Offset, table.Size, $"symbol table {table.Name}");
                for (int i = 1; i * 24 + 24 <= entries.Length; i++)
                {
                    ReadOnlySpan<byte> e = entries.Slice(i * 24, 24);
                    uint nameOff = U32(e, 0);
                    byte info = e[4];
                    ushort shndx = U16(e, 6);
                    ulong value = U64(e, 8), size = U64(e, 16);
                    var type = (ElfSymbolType)(info & 0xf);
                    if (shndx == 0 || type is ElfSymbolType.Section or ElfSymbolType.File || nameOff == 0) continue;
                    string name = CString(strs, nameOff, table.Name);
                    if (name.Length == 0) continue;
                    result.Add(new ElfBinarySymbol(name, value, size, type, (ElfSymbolBinding)(info >> 4), FileOffset(value, shndx), kind == SectionDynsym));
                }
            }
        }
        return [.. result];
    }

    // libbpf: through the holding section when there is one (absolute and common symbols have none), else PT_LOAD.
    private ulong FileOffset(ulong value, ushort shndx)
    {
        if (shndx < _sections.Length && shndx < 0xff00)
        {
            Section s = _sections[shndx];
            if (s.Type != SectionNobits && value >= s.Address && value - s.Address <= s.Size) return value - s.Address + s.Offset;
        }
        foreach (Segment p in _segments)
            if (p.Type == SegmentLoad && value >= p.VirtualAddress && value - p.VirtualAddress < p.FileSize)
                return value - p.VirtualAddress + p.Offset;
        return value;
    }

    private Segment[] ReadSegments(ReadOnlySpan<byte> d)
    {
        ulong phoff = U64(d, 32);
        ushort phentsize = U16(d, 54), phnum = U16(d, 56);
        if (phnum == 0) return [];
        if (phentsize < 56) throw Bad($"e_phentsize {phentsize} is smaller than an Elf64_Phdr (56)", 54, "e_phentsize");
        var segments = new Segment[phnum];
        for (int i = 0; i < phnum; i++)
        {
            ReadOnlySpan<byte> p = Slice(d, phoff + (ulong)(i * phentsize), 56, $"program header {i}");
            segments[i] = new Segment(U32(p, 0), U64(p, 8), U64(p, 16), U64(p, 32), U64(p, 40), U32(p, 4));
        }
        return segments;
    }

    private Section[] ReadSections(ReadOnlySpan<byte> d)
    {
        ulong shoff = U64(d, 40);
        ushort shentsize = U16(d, 58), shnum = U16(d, 60), shstrndx = U16(d, 62);
        if (shnum == 0 || shoff == 0) return [];
        if (shentsize < 64) throw Bad($"e_shentsize {shentsize} is smaller than an Elf64_Shdr (64)", 58, "e_shentsize");
        var raw = new (uint Name, uint Type, ulong Address, ulong Offset, ulong Size, uint Link, ulong EntrySize)[shnum];
        for (int i = 0; i < shnum; i++)
        {
            ReadOnlySpan<byte> s = Slice(d, shoff + (ulong)(i * shentsize), 64, $"section header {i}");
            raw[i] = (U32(s, 0), U32(s, 4), U64(s, 16), U64(s, 24), U64(s, 32), U32(s, 40), U64(s, 56));
        }
        ReadOnlySpan<byte> names = shstrndx < shnum && raw[shstrndx].Type != SectionNobits
            ? Slice(d, raw[shstrndx].Offset, raw[shstrndx].Size, "section name table") : default;
        var sections = new Section[shnum];
        for (int i = 0; i < shnum; i++)
        {
            var r = raw[i];
            string name = names.IsEmpty ? $"#{i}" : CString(names, r.Name, "section name table");
            sections[i] = new Section(name, r.Type, r.Address, r.Offset, r.Type == SectionNobits ? 0 : r.Size, r.Link, r.EntrySize);
        }
        return sections;
    }

    private ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> d, ulong offset, ulong size, string what)
    {
        if (offset > (ulong)d.Length || size > (ulong)d.Length - offset)
            throw Bad($"{what} (offset {offset}, {size} bytes) lies beyond the end of the file ({d.Length} bytes)", (long)Math.Min(offset, long.MaxValue), what);
        return d.Slice((int)offset, (int)size);
    }

    private string CString(ReadOnlySpan<byte> table, uint offset, string tableName)
    {
        if (offset >= table.Length) throw Bad($"name offset {offset} lies beyond {tableName} ({table.Length} bytes)", null, tableName);
        ReadOnlySpan<byte> rest = table[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0) throw Bad($"name at offset {offset} of {tableName} is not NUL-terminated", null, tableName);
        return Encoding.UTF8.GetString(rest[..end]);
    }

    private void Need(ReadOnlySpan<byte> d, int offset, int size, string what)
    {
        if (d.Length < offset + size) throw Bad($"file too short for the {what} ({d.Length} bytes)", offset, what);
    }

    private ElfFormatException Bad(string message, long? offset, string field) => new($"{Path}: {message}", offset: offset, field: field);

    private static ushort U16(ReadOnlySpan<byte> s, int o) => BinaryPrimitives.ReadUInt16LittleEndian(s[o..]);
    private static uint U32(ReadOnlySpan<byte> s, int o) => BinaryPrimitives.ReadUInt32LittleEndian(s[o..]);
    private static ulong U64(ReadOnlySpan<byte> s, int o) => BinaryPrimitives.ReadUInt64LittleEndian(s[o..]);
}
