using System.Collections.Immutable;
using Ebpf.Asm;
using Ebpf.Btf;
using Ebpf.Elf;
using Ebpf.Loader;
using Ebpf.Sections;

namespace Ebpf;

/// <summary>
/// ELF → <see cref="CollectionSpec"/>, following libbpf's <c>bpf_object__open</c> and the relocation half of
/// <c>bpf_object__load</c> step by step, so the instructions come out byte-identical to what libbpf submits.
/// One instance reads one object; the partial files hold maps, relocations, linking and CO-RE.
/// </summary>
internal sealed partial class ObjectReader
{
    private const string MapsSection = ".maps";
    private const string LegacyMapsSection = "maps";
    private const string KconfigSection = ".kconfig";

    private readonly ElfFile _elf;
    private readonly string _objectName;
    private readonly CollectionLoadOptions _options;
    private readonly List<LinkProgram> _programs = [];
    private readonly List<MapEntry> _maps = [];
    private readonly Dictionary<int, MapKind> _dataSections = [];
    private readonly List<ElfRelocationSection> _codeRelocations = [];
    private ElfRelocationSection? _mapsRelocations;
    private BtfSpec? _btf;
    private ReadOnlyMemory<byte> _btfExtData;
    private ExtInfo? _extInfo;
    private string _license = "";
    private uint _kernelVersion;
    private int _textIndex;            // 0: no .text (section 0 is never code)
    private int _mapsIndex = -1;
    private int _legacyMapsIndex = -1;

    private ObjectReader(ElfFile elf, string objectName, CollectionLoadOptions options)
    {
        _elf = elf;
        _objectName = objectName;
        _options = options;
    }

    public static CollectionSpec Read(byte[] image, string objectName, CollectionLoadOptions options)
    {
        var reader = new ObjectReader(ElfFile.Read(image), objectName, options);
        return reader.Run();
    }

    private CollectionSpec Run()
    {
        if (_elf.SymbolTable is null)
            throw new ObjectFormatException("the object has no symbol table (stripped?); libbpf needs one to find programs and maps");
        CollectSections();
        ReadBtf();
        CollectExterns();
        ReadBtfMaps();
        ReadLegacyMaps();
        ReadGlobalDataMaps();
        ReadKconfigMap();
        CollectRelocations();
        ApplyCoRe();
        ImmutableArray<ProgramSpec> programs = LinkAll();
        return new CollectionSpec
        {
            ObjectName = _objectName,
            Programs = programs,
            Maps = [.. _maps.Select(m => m.Spec)],
            Btf = FinalBtf(),
            License = _license,
            KernelVersion = _kernelVersion,
        };
    }

    // bpf_object__elf_collect: classify sections and find the functions of executable ones.
    private void CollectSections()
    {
        ElfSection? btf = null, btfExt = null;
        foreach (ElfSection section in _elf.Sections)
        {
            if (section.Index == 0 || IsIgnored(section)) continue;
            string name = section.Name;
            if (name == "license")
            {
                ReadOnlySpan<byte> data = section.Data.Span;
                int end = data.IndexOf((byte)0);
                data = end >= 0 ? data[..end] : data;
                if (data.Length > 63) data = data[..63]; // libbpf's 64-byte license buffer
                _license = System.Text.Encoding.UTF8.GetString(data);
            }
            else if (name == "version")
            {
                if (section.Data.Length != 4)
                    throw new ObjectFormatException($"the version section is {section.Data.Length} bytes, not 4", name, (long)section.Offset, "sh_size");
                _kernelVersion = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(section.Data.Span);
            }
            else if (name == LegacyMapsSection) _legacyMapsIndex = section.Index;
            else if (name == MapsSection) _mapsIndex = section.Index;
            else if (name == ".BTF") btf = RequireProgBits(section);
            else if (name == ".BTF.ext") btfExt = RequireProgBits(section);
            else if (section.Type == ElfSectionType.SymbolTable) { }
            else if (section.Type == ElfSectionType.ProgBits && section.Size > 0)
            {
                if (section.IsExecutable)
                {
                    if (name == ".text") _textIndex = section.Index;
                    AddPrograms(section);
                }
                else if (name == ".data" || name.StartsWith(".data.", StringComparison.Ordinal)) _dataSections[section.Index] = MapKind.Data;
                else if (name == ".rodata" || name.StartsWith(".rodata.", StringComparison.Ordinal)) _dataSections[section.Index] = MapKind.ReadOnlyData;
            }
            else if (section.Type == ElfSectionType.Relocations)
            {
                if (section.Info >= (uint)_elf.Sections.Count)
                    throw new ObjectFormatException($"sh_info {section.Info} names no section", name, (long)section.Offset, "sh_info");
                ElfRelocationSection? table = _elf.RelocationSections.FirstOrDefault(r => r.Section.Index == section.Index);
                if (table is null) continue;
                if (table.Target.IsExecutable) _codeRelocations.Add(table);
                else if (name == ".rel" + MapsSection) _mapsRelocations = table;
            }
            else if (section.Type == ElfSectionType.NoBits && (name == ".bss" || name.StartsWith(".bss.", StringComparison.Ordinal)))
            {
                _dataSections[section.Index] = MapKind.Bss;
            }
        }

        // libbpf sorts programs by section index, then offset, and finds them by binary search later.
        _programs.Sort((a, b) => a.Section.Index != b.Section.Index
            ? a.Section.Index.CompareTo(b.Section.Index)
            : a.SectionInstructionOffset.CompareTo(b.SectionInstructionOffset));
        foreach (LinkProgram p in _programs)
            p.IsSubprogram = p.Section.Index == _textIndex && _programs.Count > 1;

        if (btf is not null)
        {
            _btf = BtfReader.Parse(btf.Data.Span);
            if (btfExt is not null) _btfExtData = btfExt.Data;
        }
    }

    private static ElfSection RequireProgBits(ElfSection section) =>
        section.Type == ElfSectionType.ProgBits
            ? section
            : throw new ObjectFormatException($"expected SHT_PROGBITS, found {section.Type}", section.Name, (long)section.Offset, "sh_type");

    // ignore_elf_section: string tables, LLVM address-significance tables, an empty .text, DWARF and relocations of
    // DWARF and BTF.
    private static bool IsIgnored(ElfSection section)
    {
        if (section.Type is ElfSectionType.StringTable or ElfSectionType.LlvmAddrsig) return true;
        if (section.Type == ElfSectionType.ProgBits && section.Size == 0 && section.Name == ".text") return true;
        string name = section.Name;
        if (IsDwarf(name)) return true;
        if (name.StartsWith(".rel", StringComparison.Ordinal))
        {
            string target = name[4..];
            if (IsDwarf(target) || target is ".BTF" or ".BTF.ext") return true;
        }
        return false;
    }

    private static bool IsDwarf(string name) => name.StartsWith(".debug_", StringComparison.Ordinal);

    // bpf_object__add_programs: every STT_FUNC symbol of an executable section is a program or subprogram.
    private void AddPrograms(ElfSection section)
    {
        ReadOnlySpan<byte> data = section.Data.Span;
        bool optional = section.Name.StartsWith('?');
        string sectionName = optional ? section.Name[1..] : section.Name;
        foreach (ElfSymbol symbol in _elf.Symbols)
        {
            if (symbol.SectionIndex != section.Index || symbol.Type != ElfSymbolType.Function) continue;
            ulong offset = symbol.Value, size = symbol.Size;
            if (offset > (ulong)data.Length || size > (ulong)data.Length - offset)
                throw new ObjectFormatException($"function '{symbol.Name}' at 0x{offset:x} of {size} bytes crosses the end of the {data.Length}-byte section",
                    section.Name, (long)offset, "st_value");
            if (section.Index != _textIndex && section.Name != ".text" && symbol.Binding == ElfSymbolBinding.Local)
                throw new ObjectFormatException($"program '{symbol.Name}' is static; libbpf supports static functions only in .text",
                    section.Name, (long)offset, "st_info");
            if (size == 0 || size % Instruction.Size != 0 || offset % Instruction.Size != 0)
                throw new ObjectFormatException($"function '{symbol.Name}' at 0x{offset:x} has size {size}, not a positive whole number of instructions",
                    section.Name, (long)offset, "st_size");
            Instruction[] code = InstructionStream.DecodeUnchecked(data.Slice((int)offset, (int)size));
            _programs.Add(new LinkProgram(symbol.Name, section, sectionName, !optional, (int)(offset / Instruction.Size), code));
        }
    }

    private void ReadBtf()
    {
        if (_btf is null || _btfExtData.IsEmpty) return;
        _extInfo = ExtInfo.Parse(_btfExtData.Span, _btf, _elf);
    }

    private LinkProgram? FindProgram(int sectionIndex, int instruction)
    {
        // find_prog_by_sec_insn: the last program starting at or before the instruction, if it contains it.
        int lo = 0, hi = _programs.Count - 1;
        if (hi < 0) return null;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo + 1) / 2);
            LinkProgram p = _programs[mid];
            if (p.Section.Index < sectionIndex || (p.Section.Index == sectionIndex && p.SectionInstructionOffset <= instruction)) lo = mid;
            else hi = mid - 1;
        }
        LinkProgram found = _programs[lo];
        return found.Section.Index == sectionIndex && found.Contains(instruction) ? found : null;
    }

    private static (ProgramType Type, AttachType? Attach, string? Target, SectionDefinition? Row, uint Flags) Classify(string sectionName)
    {
        SectionDefinition? row = SectionDefinitions.Find(sectionName);
        if (row is null) return (ProgramType.Unspec, null, null, null, 0);
        uint flags = 0;
        if ((row.Flags & SectionFlags.Sleepable) != 0) flags |= ProgramFlags.Sleepable;
        if ((row.Flags & SectionFlags.XdpFrags) != 0 && row.ProgramType == ProgramType.Xdp) flags |= ProgramFlags.XdpHasFrags;
        return (row.ProgramType, row.ExpectedAttachType, row.TargetOf(sectionName), row, flags);
    }
}
