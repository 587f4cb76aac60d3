using System.Buffers.Binary;

namespace Ebpf.Elf;

public sealed partial class ElfFile
{
    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private const int RelSize = 16;
    private const int RelaSize = 24;
    private const ushort SectionIndexExtended = 0xffff; // SHN_XINDEX: the real value is in section header 0

    private static ElfFile Parse(byte[] image)
    {
        ReadOnlySpan<byte> file = image;
        if (file.Length < HeaderSize)
            throw new ElfFormatException($"file is {file.Length} bytes, shorter than the {HeaderSize}-byte ELF header", offset: 0, field: "e_ident");
        if (file[0] != 0x7f || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
            throw new ElfFormatException("not an ELF file (bad magic)", offset: 0, field: "e_ident[EI_MAG]");
        if (file[4] != 2)
            throw new ElfFormatException($"ELF class {file[4]} is not ELFCLASS64 (2); BPF objects are 64-bit", offset: 4, field: "e_ident[EI_CLASS]");
        if (file[5] != 1)
            throw new ElfFormatException($"data encoding {file[5]} is not ELFDATA2LSB (1); only little-endian objects are supported", offset: 5, field: "e_ident[EI_DATA]");
        if (file[6] != 1)
            throw new ElfFormatException($"ELF version {file[6]} is not EV_CURRENT (1)", offset: 6, field: "e_ident[EI_VERSION]");

        ushort fileType = U16(file, 16);
        ushort machine = U16(file, 18);
        if (machine != MachineBpf)
            throw new ElfFormatException($"machine {machine} is not EM_BPF ({MachineBpf})", offset: 18, field: "e_machine");
        ulong shoff = U64(file, 40);
        uint flags = U32(file, 48);
        ushort shentsize = U16(file, 58);
        ulong shnum = U16(file, 60);
        uint shstrndx = U16(file, 62);

        if (shoff == 0)
        {
            // No section header table: a legal, if useless, object.
            return new ElfFile(image, fileType, flags, [], null, [], []);
        }
        if (shentsize < SectionHeaderSize)
            throw new ElfFormatException($"section header size {shentsize} is smaller than {SectionHeaderSize}", offset: 58, field: "e_shentsize");
        if (shoff > (ulong)file.Length || (ulong)file.Length - shoff < SectionHeaderSize)
            throw new ElfFormatException($"section header table at 0x{shoff:x} does not fit in the {file.Length}-byte file", offset: 40, field: "e_shoff");

        // Extended numbering: with 0xff00 or more sections, e_shnum is 0 and e_shstrndx is SHN_XINDEX; the real values
        // live in sh_size and sh_link of section header 0.
        if (shnum == 0) shnum = U64(file, (int)shoff + 32);
        if (shstrndx == SectionIndexExtended) shstrndx = U32(file, (int)shoff + 40);
        if (shnum > ((ulong)file.Length - shoff) / shentsize)
            throw new ElfFormatException($"{shnum} section headers of {shentsize} bytes at 0x{shoff:x} do not fit in the {file.Length}-byte file", offset: 60, field: "e_shnum");
        if (shstrndx != 0 && shstrndx >= shnum)
            throw new ElfFormatException($"section name table index {shstrndx} is out of range ({shnum} sections)", offset: 62, field: "e_shstrndx");

        var raw = new RawSection[(int)shnum];
        for (int i = 0; i < raw.Length; i++)
            raw[i] = ReadSectionHeader(file, (int)shoff + i * shentsize, i);

        ReadOnlySpan<byte> names = default;
        string namesSection = $"#{shstrndx}";
        if (shstrndx != 0)
        {
            RawSection st = raw[shstrndx];
            if (st.Type is ElfSectionType.NoBits or ElfSectionType.Null)
                throw new ElfFormatException($"section name table has no bytes ({st.Type})", namesSection, st.HeaderOffset, "sh_type");
            names = file.Slice((int)st.Offset, (int)st.Size);
        }

        var sections = new ElfSection[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            RawSection r = raw[i];
            string name = shstrndx == 0 ? "" : CString(names, r.Name, namesSection, $"sh_name of section {i}");
            ReadOnlyMemory<byte> data = r.Type is ElfSectionType.NoBits or ElfSectionType.Null
                ? ReadOnlyMemory<byte>.Empty
                : new ReadOnlyMemory<byte>(image, (int)r.Offset, (int)r.Size);
            sections[i] = new ElfSection(i, name, r.Type, r.Flags, r.Address, r.Offset, r.Size, r.Link, r.Info, r.Alignment, r.EntrySize, data);
        }

        ElfSection? symtab = null;
        foreach (ElfSection s in sections)
        {
            if (s.Type != ElfSectionType.SymbolTable) continue;
            if (symtab is not null)
                throw new ElfFormatException($"second symbol table (the first is {symtab.Name}); an object has at most one", s.Name, (long)s.Offset, "sh_type");
            symtab = s;
        }
        ElfSymbol[] symbols = symtab is null ? [] : ReadSymbols(symtab, sections);

        var relocationSections = new List<ElfRelocationSection>();
        foreach (ElfSection s in sections)
            if (s.Type is ElfSectionType.Relocations or ElfSectionType.RelocationsWithAddends)
                relocationSections.Add(ReadRelocations(s, sections, symtab, symbols.Length));

        return new ElfFile(image, fileType, flags, sections, symtab, symbols, relocationSections);
    }

    private readonly record struct RawSection(long HeaderOffset, uint Name, ElfSectionType Type, ElfSectionFlags Flags, ulong Address,
        ulong Offset, ulong Size, uint Link, uint Info, ulong Alignment, ulong EntrySize);

    private static RawSection ReadSectionHeader(ReadOnlySpan<byte> file, int at, int index)
    {
        var r = new RawSection(at, U32(file, at), (ElfSectionType)U32(file, at + 4), (ElfSectionFlags)U64(file, at + 8),
            U64(file, at + 16), U64(file, at + 24), U64(file, at + 32), U32(file, at + 40), U32(file, at + 44),
            U64(file, at + 48), U64(file, at + 56));
        if (r.Type is not (ElfSectionType.NoBits or ElfSectionType.Null)
            && (r.Offset > (ulong)file.Length || r.Size > (ulong)file.Length - r.Offset))
            throw new ElfFormatException($"section data at 0x{r.Offset:x} of {r.Size} bytes extends past the end of the {file.Length}-byte file",
                $"#{index}", at, "sh_offset/sh_size");
        return r;
    }

    private static ElfSymbol[] ReadSymbols(ElfSection symtab, ElfSection[] sections)
    {
        if (symtab.EntrySize != SymbolSize)
            throw new ElfFormatException($"symbol size {symtab.EntrySize} is not {SymbolSize}", symtab.Name, (long)symtab.Offset, "sh_entsize");
        if (symtab.Size % SymbolSize != 0)
            throw new ElfFormatException($"size {symtab.Size} is not a multiple of the {SymbolSize}-byte symbol size", symtab.Name, (long)symtab.Offset, "sh_size");
        if (symtab.Link >= (uint)sections.Length || sections[symtab.Link].Type != ElfSectionType.StringTable)
            throw new ElfFormatException($"sh_link {symtab.Link} does not name a string table", symtab.Name, (long)symtab.Offset, "sh_link");
        var strings = new ElfStringTable(sections[symtab.Link]);
        ReadOnlySpan<byte> data = symtab.Data.Span;
        var symbols = new ElfSymbol[data.Length / SymbolSize];
        for (int i = 0; i < symbols.Length; i++)
        {
            int at = i * SymbolSize;
            long fileOffset = (long)symtab.Offset + at;
            byte info = data[at + 4];
            ushort shndx = U16(data, at + 6);
            if (shndx != ElfSymbol.UndefinedSection && shndx < ElfSymbol.FirstReservedSection && shndx >= sections.Length)
                throw new ElfFormatException($"symbol {i} is in section {shndx}, but the object has {sections.Length} sections",
                    symtab.Name, fileOffset + 6, "st_shndx");
            symbols[i] = new ElfSymbol(i, strings.Get(U32(data, at), $"st_name of symbol {i}"), U64(data, at + 8), U64(data, at + 16),
                (ElfSymbolBinding)(info >> 4), (ElfSymbolType)(info & 0xf), (ElfSymbolVisibility)(data[at + 5] & 0x3), shndx);
        }
        return symbols;
    }

    private static ElfRelocationSection ReadRelocations(ElfSection rel, ElfSection[] sections, ElfSection? symtab, int symbolCount)
    {
        bool withAddends = rel.Type == ElfSectionType.RelocationsWithAddends;
        int entrySize = withAddends ? RelaSize : RelSize;
        if (rel.EntrySize != (ulong)entrySize)
            throw new ElfFormatException($"relocation entry size {rel.EntrySize} is not {entrySize}", rel.Name, (long)rel.Offset, "sh_entsize");
        if (rel.Size % (ulong)entrySize != 0)
            throw new ElfFormatException($"size {rel.Size} is not a multiple of the {entrySize}-byte entry size", rel.Name, (long)rel.Offset, "sh_size");
        if (symtab is null || rel.Link != symtab.Index)
            throw new ElfFormatException($"sh_link {rel.Link} does not name the symbol table", rel.Name, (long)rel.Offset, "sh_link");
        if (rel.Info == 0 || rel.Info >= (uint)sections.Length)
            throw new ElfFormatException($"sh_info {rel.Info} does not name a section to relocate", rel.Name, (long)rel.Offset, "sh_info");
        ElfSection target = sections[rel.Info];
        ReadOnlySpan<byte> data = rel.Data.Span;
        var entries = new ElfRelocation[data.Length / entrySize];
        for (int i = 0; i < entries.Length; i++)
        {
            int at = i * entrySize;
            long fileOffset = (long)rel.Offset + at;
            ulong offset = U64(data, at);
            ulong info = U64(data, at + 8);
            if (offset >= target.Size)
                throw new ElfFormatException($"relocation {i} patches offset 0x{offset:x}, outside the {target.Size}-byte section {target.Name}",
                    rel.Name, fileOffset, "r_offset");
            ulong symbol = info >> 32;
            if (symbol >= (ulong)symbolCount)
                throw new ElfFormatException($"relocation {i} refers to symbol {symbol}, but the symbol table has {symbolCount} entries",
                    rel.Name, fileOffset + 8, "r_info");
            entries[i] = new ElfRelocation(offset, (int)symbol, (BpfRelocationType)(uint)info, withAddends ? (long)U64(data, at + 16) : 0);
        }
        return new ElfRelocationSection(rel, target, entries);
    }

    private static string CString(ReadOnlySpan<byte> table, uint offset, string section, string field)
    {
        if (offset >= (uint)table.Length)
            throw new ElfFormatException($"name offset {offset} is outside the {table.Length}-byte string table", section, null, field);
        ReadOnlySpan<byte> rest = table[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0)
            throw new ElfFormatException($"name at offset {offset} is not NUL-terminated", section, null, field);
        return System.Text.Encoding.UTF8.GetString(rest[..end]);
    }

    // Callers check bounds first: these read within spans they sliced to a known length.
    private static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);

    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);

    private static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
}
