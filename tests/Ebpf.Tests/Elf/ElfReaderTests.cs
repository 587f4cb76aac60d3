using System.Globalization;
using System.Text.RegularExpressions;
using Ebpf.Elf;
using Ebpf.Testing;

namespace Ebpf.Tests.Elf;

public partial class ElfReaderTests
{
    [Theory]
    [MemberData(nameof(Objects))]
    public void Sections_MatchLlvmReadelf(string name)
    {
        string path = RepoPaths.BpfObject(name);
        ElfFile elf = ElfFile.Load(path);
        string text = LlvmTools.Run("llvm-readelf", "-S", "--wide", path);
        var expected = SectionLine().Matches(text).Select(m => (
            Index: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            Name: m.Groups[2].Value,
            Type: m.Groups[3].Value,
            Offset: Convert.ToUInt64(m.Groups[5].Value, 16),
            Size: Convert.ToUInt64(m.Groups[6].Value, 16),
            EntrySize: Convert.ToUInt64(m.Groups[7].Value, 16))).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, elf.Sections.Count);
        foreach (var e in expected)
        {
            ElfSection s = elf.Sections[e.Index];
            Assert.Equal(e.Name, s.Name);
            Assert.Equal(e.Type, s.Type switch
            {
                ElfSectionType.Null => "NULL", ElfSectionType.ProgBits => "PROGBITS", ElfSectionType.SymbolTable => "SYMTAB",
                ElfSectionType.StringTable => "STRTAB", ElfSectionType.NoBits => "NOBITS", ElfSectionType.Relocations => "REL",
                ElfSectionType.LlvmAddrsig => "LLVM_ADDRSIG", _ => s.Type.ToString(),
            });
            Assert.Equal(e.Offset, s.Offset);
            Assert.Equal(e.Size, s.Size);
            Assert.Equal(e.EntrySize, s.EntrySize);
            if (s.Type != ElfSectionType.NoBits && s.Type != ElfSectionType.Null) Assert.Equal((int)s.Size, s.Data.Length);
        }
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Symbols_MatchLlvmReadelf(string name)
    {
        string path = RepoPaths.BpfObject(name);
        ElfFile elf = ElfFile.Load(path);
        string text = LlvmTools.Run("llvm-readelf", "-s", "--wide", path);
        var expected = SymbolLine().Matches(text).ToList();

        Assert.Equal(expected.Count, elf.Symbols.Count);
        foreach (Match m in expected)
        {
            ElfSymbol symbol = elf.Symbols[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)];
            Assert.Equal(Convert.ToUInt64(m.Groups[2].Value, 16), symbol.Value);
            string size = m.Groups[3].Value;
            Assert.Equal(size.StartsWith("0x", StringComparison.Ordinal) ? Convert.ToUInt64(size[2..], 16) : ulong.Parse(size, CultureInfo.InvariantCulture), symbol.Size);
            Assert.Equal(m.Groups[4].Value, symbol.Type switch
            {
                ElfSymbolType.NoType => "NOTYPE", ElfSymbolType.Object => "OBJECT", ElfSymbolType.Function => "FUNC",
                ElfSymbolType.Section => "SECTION", ElfSymbolType.File => "FILE", _ => symbol.Type.ToString(),
            });
            Assert.Equal(m.Groups[5].Value, symbol.Binding.ToString().ToUpperInvariant());
            Assert.Equal(m.Groups[6].Value, symbol.Visibility.ToString().ToUpperInvariant());
            string ndx = m.Groups[7].Value;
            Assert.Equal(ndx switch { "UND" => 0, "ABS" => ElfSymbol.AbsoluteSection, "COM" => ElfSymbol.CommonSection, _ => ushort.Parse(ndx, CultureInfo.InvariantCulture) }, symbol.SectionIndex);
            // llvm-readelf names section symbols after their section; the table itself holds no name for them.
            if (symbol.Type != ElfSymbolType.Section) Assert.Equal(m.Groups[8].Value, symbol.Name);
        }
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Relocations_MatchLlvmReadelf(string name)
    {
        string path = RepoPaths.BpfObject(name);
        ElfFile elf = ElfFile.Load(path);
        string text = LlvmTools.Run("llvm-readelf", "-r", "--wide", path);
        var tables = RelocationHeader().Matches(text).Select(m => (Name: m.Groups[1].Value, Count: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        var entries = RelocationLine().Matches(text).Select(m => (Offset: Convert.ToUInt64(m.Groups[1].Value, 16), Info: Convert.ToUInt64(m.Groups[2].Value, 16))).ToList();

        Assert.Equal(tables.Select(t => t.Name), elf.RelocationSections.Select(r => r.Section.Name));
        Assert.Equal(tables.Select(t => t.Count), elf.RelocationSections.Select(r => r.Entries.Count));
        var ours = elf.RelocationSections.SelectMany(r => r.Entries).ToList();
        Assert.Equal(entries.Count, ours.Count);
        for (int i = 0; i < ours.Count; i++)
        {
            Assert.Equal(entries[i].Offset, ours[i].Offset);
            Assert.Equal((int)(entries[i].Info >> 32), ours[i].SymbolIndex);
            Assert.Equal((BpfRelocationType)(uint)entries[i].Info, ours[i].Type);
        }
    }

    [Fact]
    public void XdpDropUdp53_HasProgramMapReferencesAndFunctions()
    {
        ElfFile elf = ElfFile.Load(RepoPaths.BpfObject("xdp_drop_udp53.o"));
        BpfCodeSection xdp = Assert.Single(BpfObjectPrograms.Read(elf), s => s.Name == "xdp");
        BpfFunction f = Assert.Single(xdp.Functions);
        Assert.Equal("xdp_drop_udp53", f.Name);
        Assert.Equal(0, f.FirstInstruction);
        Assert.Equal(xdp.Instructions.Length, f.InstructionCount);
        Assert.NotEmpty(xdp.Relocations);
        Assert.All(xdp.Relocations, r => Assert.Equal("drop_stats", r.Value.Name));
        Assert.All(xdp.Relocations, r => Assert.True(xdp.Instructions[r.Key].IsLoadImm64));
        Assert.Equal(ElfFile.TypeRelocatable, elf.FileType);
        Assert.Equal(BpfRelocationType.Imm64, Assert.Single(elf.RelocationSections, r => r.Target.Name == "xdp").Entries[0].Type);
    }

    [Fact]
    public void GlobalsSubprog_ListsTextFunctionsAndCallRelocations()
    {
        ElfFile elf = ElfFile.Load(RepoPaths.BpfObject("tests/globals_subprog.o"));
        var sections = BpfObjectPrograms.Read(elf);
        BpfCodeSection text = Assert.Single(sections, s => s.Name == ".text");
        Assert.Equal(["add_step", "clamp_len", "scale"], text.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Contains(text.Functions, f => f.Name == "clamp_len" && f.Binding == ElfSymbolBinding.Global);
        Assert.Contains(text.Functions, f => f.Name == "scale" && f.Binding == ElfSymbolBinding.Local);

        BpfCodeSection prog = Assert.Single(sections, s => s.Name == "xdp");
        var symbols = prog.ToDisassemblySymbols(elf);
        // Calls of .text functions and the bpf_loop callback are relocated against a function or the .text section.
        Assert.Contains(prog.Relocations, r => prog.Instructions[r.Key].IsLocalCall);
        Assert.Contains(symbols.Relocations.Values, n => n is "clamp_len");
        Assert.Contains(symbols.Relocations.Values, n => n is ".data" or "packets");
        Assert.Contains(symbols.Relocations.Values, n => n is ".bss" or "bytes");
    }

    [Fact]
    public void ReadSpan_EqualsReadArray()
    {
        byte[] bytes = File.ReadAllBytes(RepoPaths.BpfObject("tests/maps_mix.o"));
        ElfFile a = ElfFile.Read(bytes), b = ElfFile.Read((ReadOnlySpan<byte>)bytes);
        Assert.Equal(a.Sections.Select(s => (s.Name, s.Size)), b.Sections.Select(s => (s.Name, s.Size)));
        Assert.Equal(a.Symbols, b.Symbols);
        Assert.NotNull(a.FindSection(".maps"));
        Assert.Null(a.FindSection("no such section"));
        Assert.Equal(".strtab", a.GetStringTable((int)a.SymbolTable!.Link).Section.Name);
    }

    [Theory]
    [InlineData(0, "e_ident")]
    [InlineData(10, "e_ident")]
    public void TooShort_SaysWhichField(int length, string field)
    {
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Read(new byte[length]));
        Assert.Equal(field, e.Field);
        Assert.Contains("shorter than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongMachine_IsRejected()
    {
        byte[] bytes = File.ReadAllBytes(RepoPaths.BpfObject("xdp_drop_udp53.o"));
        bytes[18] = 62; // EM_X86_64
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Read(bytes));
        Assert.Equal("e_machine", e.Field);
        Assert.Equal(18, e.Offset);
        Assert.IsAssignableFrom<FormatException>(e);
    }

    [Fact]
    public void SectionPastEndOfFile_NamesTheSection()
    {
        byte[] bytes = File.ReadAllBytes(RepoPaths.BpfObject("xdp_drop_udp53.o"));
        ElfFile elf = ElfFile.Read(bytes);
        ElfSection xdp = elf.FindSection("xdp")!;
        long header = (long)BitConverter.ToUInt64(bytes, 40) + xdp.Index * 64;
        BitConverter.TryWriteBytes(bytes.AsSpan((int)header + 32), (ulong)bytes.Length); // sh_size
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Read(bytes));
        Assert.Equal("sh_offset/sh_size", e.Field);
        Assert.Contains($"#{xdp.Index}", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Objects() => LlvmTools.ObjectData();

    [GeneratedRegex(@"^\s*\[\s*(\d+)\]\s(\S*)\s+(\S+)\s+([0-9a-f]{16})\s([0-9a-f]+)\s([0-9a-f]+)\s([0-9a-f]+)", RegexOptions.Multiline)]
    private static partial Regex SectionLine();

    [GeneratedRegex(@"^\s*(\d+):\s([0-9a-f]{16})\s+(\S+)\s(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s?(\S*)\s*$", RegexOptions.Multiline)]
    private static partial Regex SymbolLine();

    [GeneratedRegex(@"^Relocation section '([^']*)' at offset 0x[0-9a-f]+ contains (\d+) entries:", RegexOptions.Multiline)]
    private static partial Regex RelocationHeader();

    [GeneratedRegex(@"^([0-9a-f]{16})\s+([0-9a-f]{16})\s+R_", RegexOptions.Multiline)]
    private static partial Regex RelocationLine();
}
