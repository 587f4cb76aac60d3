using System.Globalization;
using Ebpf.Elf;
using Ebpf.Testing;

namespace Ebpf.Tests.Elf;

/// <summary>
/// ElfBinary against llvm-readelf: every defined dynamic symbol of real executables and libraries has the value
/// llvm-readelf prints, and the file offset its PT_LOAD segment gives (what libbpf computes for uprobes).
/// </summary>
public sealed class ElfBinaryTests
{
    private static readonly string[] s_libcCandidates =
        ["/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/lib64/libc.so.6"];

    private static string Libc() => s_libcCandidates.FirstOrDefault(File.Exists) ?? SkipNoLibc();

    private static string SkipNoLibc()
    {
        Assert.Skip("no glibc libc.so.6 in the usual places");
        return "";
    }

    public static TheoryData<string> Binaries()
    {
        var data = new TheoryData<string>();
        foreach (string f in (string[])["/usr/bin/addr2line", "/usr/bin/bash", "/usr/bin/true", "/usr/bin/ls"])
            if (File.Exists(f)) data.Add(f);
        return data;
    }

    [Theory]
    [MemberData(nameof(Binaries))]
    public void DynamicSymbols_MatchLlvmReadelf_ValuesAndFileOffsets(string path) => CompareWithReadelf(path);

    [Fact]
    public void Libc_DynamicSymbols_MatchLlvmReadelf_ValuesAndFileOffsets() => Assert.True(CompareWithReadelf(Libc()) > 1000);

    [Fact]
    public void Libc_Getpid_IsAFunctionWithTheVersionedName()
    {
        var elf = ElfBinary.Open(Libc());
        Assert.True(elf.IsDynamic);
        Assert.True(elf.TryFindSymbol("getpid", out ElfBinarySymbol s));
        Assert.Equal(ElfSymbolType.Function, s.Type);
        Assert.True(s.IsDynamic);
        Assert.Equal(s.FileOffset, elf.SymbolFileOffset("getpid"));
        Assert.Equal(s.FileOffset + 4, elf.SymbolFileOffset("getpid", 4));
    }

    [Fact]
    public void MissingSymbol_NamesFileAndSymbol()
    {
        string libc = Libc();
        var e = Assert.Throws<ElfSymbolNotFoundException>(() => ElfBinary.Open(libc).SymbolFileOffset("no_such_symbol_xyz"));
        Assert.Equal(libc, e.File);
        Assert.Contains(libc, e.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_symbol_xyz", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OffsetBeyondTheFunction_IsArgumentOutOfRange()
    {
        var elf = ElfBinary.Open(Libc());
        Assert.True(elf.TryFindSymbol("getpid", out ElfBinarySymbol s));
        Assert.Throws<ArgumentOutOfRangeException>(() => elf.SymbolFileOffset("getpid", s.Size + 100));
    }

    [Fact]
    public void NonPieExecutable_SymtabFunction_OffsetIsAddressMinusSegmentBase()
    {
        string dir = Directory.CreateTempSubdirectory("ebpf-net-elf-").FullName;
        try
        {
            string source = Path.Combine(dir, "probe_me.c"), binary = Path.Combine(dir, "probe_me");
            File.WriteAllText(source, "int probe_me(int x) { return x * 3 + 1; }\nint main(int argc, char **argv) { return probe_me(argc); }\n");
            var (code, _, err) = ExternalTool.TryRun("gcc", "-O1", "-no-pie", "-fno-pie", "-o", binary, source);
            if (code != 0) Assert.Skip($"gcc could not build a non-PIE executable: {err}");
            var elf = ElfBinary.Open(binary);
            Assert.Equal(2, elf.FileType);                                        // ET_EXEC
            Assert.True(elf.TryFindSymbol("probe_me", out ElfBinarySymbol s));
            Assert.False(s.IsDynamic);                                            // only in .symtab
            Assert.Contains(s.Value, ReadelfSymbols(binary, "-s")["probe_me"]);
            Assert.Equal(ExpectedOffset(LoadSegments(binary), s.Value), s.FileOffset);
            Assert.NotEqual(s.Value, s.FileOffset);                               // 0x401xxx vs 0x1xxx
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(63)]
    [InlineData(100)]
    public void Truncated_IsElfFormatException_NotACrash(int length)
    {
        byte[] libc = File.ReadAllBytes(Libc());
        Assert.Throws<ElfFormatException>(() => ElfBinary.Parse(libc.AsMemory(0, length), "cut").Symbols.Count);
    }

    [Fact]
    public void CorruptSectionHeaderOffset_IsElfFormatException()
    {
        byte[] libc = File.ReadAllBytes(Libc());
        BitConverter.TryWriteBytes(libc.AsSpan(40), (ulong)libc.Length - 10);   // e_shoff near the end
        var e = Assert.Throws<ElfFormatException>(() => ElfBinary.Parse(libc, "bad"));
        Assert.Contains("section header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelocatableObject_IsRefused()
    {
        string obj = LlvmTools.Objects().Select(o => Path.Combine(RepoPaths.BpfObjects, o)).First();
        var e = Assert.Throws<ElfFormatException>(() => ElfBinary.Open(obj));
        Assert.Contains("ET_EXEC", e.Message, StringComparison.Ordinal);
    }

    private static int CompareWithReadelf(string path)
    {
        var elf = ElfBinary.Open(path);
        Dictionary<string, HashSet<ulong>> expected = ReadelfSymbols(path, "--dyn-syms");
        List<(ulong Offset, ulong Vaddr, ulong FileSize)> segments = LoadSegments(path);
        int compared = 0;
        foreach (ElfBinarySymbol s in elf.Symbols.Where(s => s.IsDynamic))
        {
            string name = s.Name;
            Assert.True(expected.TryGetValue(name, out HashSet<ulong>? values), $"{path}: {name} not listed by llvm-readelf");
            Assert.Contains(s.Value, values!);                                   // versioned names may repeat (memcpy@GLIBC_2.2.5, memcpy@@GLIBC_2.14)
            if (segments.Any(p => s.Value >= p.Vaddr && s.Value - p.Vaddr < p.FileSize))
            {
                Assert.Equal(ExpectedOffset(segments, s.Value), s.FileOffset);
                compared++;
            }
        }
        Assert.Equal(DefinedEntries(path), elf.Symbols.Count(s => s.IsDynamic));
        return compared;
    }

    private static ulong ExpectedOffset(List<(ulong Offset, ulong Vaddr, ulong FileSize)> segments, ulong vaddr)
    {
        var p = segments.First(p => vaddr >= p.Vaddr && vaddr - p.Vaddr < p.FileSize);
        return vaddr - p.Vaddr + p.Offset;
    }

    // "  1448: 00000000000d54e0     8 FUNC    WEAK   DEFAULT    16 getpid@@GLIBC_2.2.5"; defined ones only.
    private static Dictionary<string, HashSet<ulong>> ReadelfSymbols(string path, string table)
    {
        var result = new Dictionary<string, HashSet<ulong>>(StringComparer.Ordinal);
        foreach (string line in LlvmTools.Run("llvm-readelf", table, "-W", path).Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 8 || !f[0].EndsWith(':') || !char.IsAsciiDigit(f[0][0]) || f[6] == "UND" || f[3] is "SECTION" or "FILE") continue;
            string name = f[7];
            int at = name.IndexOf('@', StringComparison.Ordinal);
            ulong value = ulong.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Add(name, value);
            if (at > 0) Add(name[..at], value);
        }
        return result;

        void Add(string name, ulong value)
        {
            if (!result.TryGetValue(name, out HashSet<ulong>? set)) result[name] = set = [];
            set.Add(value);
        }
    }

    private static int DefinedEntries(string path) => LlvmTools.Run("llvm-readelf", "--dyn-syms", "-W", path).Split('\n')
        .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Count(f => f.Length >= 8 && f[0].EndsWith(':') && char.IsAsciiDigit(f[0][0]) && f[6] != "UND" && f[3] is not ("SECTION" or "FILE"));

    private static List<(ulong Offset, ulong Vaddr, ulong FileSize)> LoadSegments(string path)
    {
        var result = new List<(ulong, ulong, ulong)>();
        foreach (string line in LlvmTools.Run("llvm-readelf", "-lW", path).Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6 || f[0] != "LOAD") continue;
            result.Add((Hex(f[1]), Hex(f[2]), Hex(f[4])));
        }
        return result;

        static ulong Hex(string s) => ulong.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
