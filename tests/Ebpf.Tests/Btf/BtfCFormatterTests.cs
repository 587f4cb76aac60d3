using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Ebpf.Btf;
using Ebpf.Elf;
using Ebpf.Testing;
using Ebpf.Tests.Elf;

namespace Ebpf.Tests.Btf;

public partial class BtfCFormatterTests
{
    private const string Vmlinux = "/sys/kernel/btf/vmlinux";

    private static readonly Lazy<BtfSpec?> KernelBtf =
        new(() => File.Exists(Vmlinux) ? BtfReader.Parse(File.ReadAllBytes(Vmlinux)) : null);

    private static readonly Lazy<string?> KernelHeader =
        new(() => KernelBtf.Value is { } spec ? BtfCFormatter.Format(spec) : null);

    private static (BtfSpec Spec, string Header) Kernel()
    {
        if (KernelBtf.Value is null) Assert.Skip($"{Vmlinux} is absent: the kernel was built without CONFIG_DEBUG_INFO_BTF");
        return (KernelBtf.Value, KernelHeader.Value!);
    }

    [Fact]
    public void Vmlinux_EqualsBpftool()
    {
        var (_, ours) = Kernel();
        string bpftool = ExternalTool.Run("bpftool", "btf", "dump", "file", Vmlinux, "format", "c");
        AssertSameText(bpftool, ours);
    }

    [Theory]
    [MemberData(nameof(ObjectData))]
    public void BpfObject_EqualsBpftool(string relativePath)
    {
        string path = Path.Combine(RepoPaths.BpfObjects, relativePath);
        ElfSection btf = ElfFile.Load(path).FindSection(".BTF") ?? throw new InvalidDataException($"{path} has no .BTF");
        string ours = BtfCFormatter.Format(BtfReader.Parse(btf.Data.Span));
        AssertSameText(ExternalTool.Run("bpftool", "btf", "dump", "file", path, "format", "c"), ours);
    }

    public static TheoryData<string> ObjectData() => LlvmTools.ObjectData();

    [Fact]
    public void Vmlinux_HeaderCompiles_ForCoReProgramWithTaskStructAndXdpMd()
    {
        var (_, header) = Kernel();
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "vmlinux.h"), header);
        string source = Path.Combine(dir.Path, "prog.c");
        File.WriteAllText(source, """
            #include "vmlinux.h"
            char LICENSE[] __attribute__((section("license"), used)) = "GPL";

            __attribute__((section("xdp"), used))
            int xdp_len(struct xdp_md *ctx)
            {
                void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
                return data + sizeof(struct ethhdr) > end ? XDP_DROP : XDP_PASS;
            }

            __attribute__((section("kprobe/do_exit"), used))
            int on_exit(struct task_struct *task)
            {
                return task->pid + task->tgid + task->real_parent->pid;
            }
            """);
        string obj = Path.Combine(dir.Path, "prog.o");
        RunClang("-O2", "-g", "-target", "bpf", "-c", source, "-o", obj);
        ElfFile elf = ElfFile.Load(obj);
        // preserve_access_index (from the header's pragma) made clang record CO-RE relocations.
        Assert.NotNull(elf.FindSection(".BTF.ext"));
        BtfSpec programBtf = BtfReader.Parse(elf.FindSection(".BTF")!.Data.Span);
        Assert.True(programBtf.TryFind("task_struct", BtfKind.Struct, out _));
        Assert.True(programBtf.TryFind("xdp_md", BtfKind.Struct, out _));
    }

    [Fact]
    public void Vmlinux_DefinitionCounts_MatchBtfAndBpftool()
    {
        var (spec, ours) = Kernel();
        int structs = 0, unions = 0, typedefs = 0, namedEnums = 0, topLevelAnonEnums = 0;
        var referenced = new bool[spec.TypeCount];
        foreach (BtfType t in spec.OwnTypes) MarkReferences(t, referenced);
        for (uint id = 1; id < (uint)spec.TypeCount; id++)
        {
            switch (spec[id])
            {
                case BtfStruct s when !s.IsAnonymous: structs++; break;
                case BtfUnion u when !u.IsAnonymous: unions++; break;
                case BtfTypedef t when t.Name != "__builtin_va_list": typedefs++; break;
                case BtfEnum e when !e.IsAnonymous && e.Values.Count > 0: namedEnums++; break;
                case BtfEnum e when e.IsAnonymous && !referenced[id]: topLevelAnonEnums++; break;
            }
        }
        var counts = Count(ours);
        Assert.Equal(structs, counts.Structs);
        Assert.Equal(unions, counts.Unions);
        Assert.Equal(typedefs, counts.Typedefs);
        Assert.Equal(namedEnums, counts.NamedEnums);
        Assert.Equal(topLevelAnonEnums, counts.AnonEnums);
        string bpftool = ExternalTool.Run("bpftool", "btf", "dump", "file", Vmlinux, "format", "c");
        Assert.Equal(Count(bpftool), counts);
    }

    [Fact]
    public void Vmlinux_StructLayouts_ClangAgreesWithBtf()
    {
        var (spec, bpftoolCompatible) = Kernel();
        // bpftool 7.1's header gives 1-byte enums the size of int, which moves members of struct inode and a
        // few others; the EnumModeAttributes header differs only by the mode attributes and gets all right.
        string header = BtfCFormatter.Format(spec, new BtfCFormatOptions { EnumModeAttributes = true });
        Assert.Equal(bpftoolCompatible, header.Replace(" __attribute__((mode(byte)))", "", StringComparison.Ordinal)
                                              .Replace(" __attribute__((mode(word)))", "", StringComparison.Ordinal));
        // Every uniquely named struct/union: clang, reading our header, must put each named member at the BTF
        // offset and give the type its BTF size.
        var asserts = new StringBuilder();
        int checkedTypes = LayoutAsserts(spec, asserts);
        Assert.True(checkedTypes > 1000, $"only {checkedTypes} types checked");
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "vmlinux.h"), header);
        string source = Path.Combine(dir.Path, "layout.c");
        File.WriteAllText(source, "#include \"vmlinux.h\"\n" + asserts);
        RunClang("-target", "bpf", "-fsyntax-only", "-ferror-limit=20", source);
    }

    [Fact]
    public void Vmlinux_Timing_ComparedWithBpftool()
    {
        Kernel();
        byte[] data = File.ReadAllBytes(Vmlinux);
        for (int i = 0; i < 2; i++) BtfCFormatter.Write(BtfReader.Parse(data), TextWriter.Null); // warm-up
        var clock = Stopwatch.StartNew();
        BtfSpec spec = BtfReader.Parse(data);
        TimeSpan parse = clock.Elapsed;
        BtfCFormatter.Write(spec, TextWriter.Null);
        TimeSpan total = clock.Elapsed;
        clock.Restart();
        ExternalTool.Run("bpftool", "btf", "dump", "file", Vmlinux, "format", "c");
        TimeSpan bpftool = clock.Elapsed;
        TestContext.Current.SendDiagnosticMessage(
            $"vmlinux → C: parse {parse.TotalMilliseconds:F0} ms + format {(total - parse).TotalMilliseconds:F0} ms = " +
            $"{total.TotalMilliseconds:F0} ms; bpftool process (incl. output capture) {bpftool.TotalMilliseconds:F0} ms");
    }

    /// <summary>Asserts equal texts, reporting the first differing line with the lines around it.</summary>
    internal static void AssertSameText(string expected, string actual)
    {
        if (expected == actual) return;
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        int line = 0;
        while (line < e.Length && line < a.Length && e[line] == a[line]) line++;
        int from = Math.Max(0, line - 5);
        string Context(string[] lines) => string.Join("\n", lines.Skip(from).Take(line - from + 4).Select((l, i) => $"{from + i + 1,7}: {l}"));
        Assert.Fail($"first difference at line {line + 1} ({e.Length} vs {a.Length} lines)\n--- bpftool\n{Context(e)}\n--- ours\n{Context(a)}");
    }

    internal static void RunClang(params string[] arguments)
    {
        var (exitCode, _, stderr) = ExternalTool.TryRun("clang", arguments);
        Assert.True(exitCode == 0, $"clang {string.Join(' ', arguments)} failed:\n{string.Join('\n', stderr.Split('\n').Take(40))}");
    }

    /// <summary>Appends offsetof/sizeof static assertions for every uniquely named struct and union.</summary>
    internal static int LayoutAsserts(BtfSpec spec, StringBuilder output)
    {
        int types = 0;
        var embeds = new Dictionary<uint, bool>();
        for (uint id = 1; id < (uint)spec.TypeCount; id++)
        {
            if (spec[id] is not BtfComposite c || c.IsAnonymous || c.Size == 0) continue;
            // A tag used twice (renamed name___2 in the header) is skipped: the check is about layout, not naming.
            if (spec.FindByName(c.Name).Count(other => spec[other] is BtfComposite or BtfForward or BtfEnum) != 1) continue;
            // __builtin_va_list is the compiler's: 24 bytes on x86, a pointer for -target bpf.
            if (EmbedsBuiltinVaList(spec, id, embeds)) continue;
            string tag = (c is BtfStruct ? "struct " : "union ") + c.Name;
            output.Append("_Static_assert(sizeof(").Append(tag).Append(") == ").Append(c.Size).Append(", \"").Append(tag).Append("\");\n");
            foreach (BtfMember m in c.Members)
            {
                if (m.BitfieldSize != 0 || m.Name.Length == 0) continue;
                output.Append("_Static_assert(__builtin_offsetof(").Append(tag).Append(", ").Append(m.Name).Append(") == ")
                      .Append(m.BitOffset / 8).Append(", \"").Append(tag).Append('.').Append(m.Name).Append("\");\n");
            }
            types++;
        }
        return types;
    }

    private static bool EmbedsBuiltinVaList(BtfSpec spec, uint id, Dictionary<uint, bool> known)
    {
        if (known.TryGetValue(id, out bool result)) return result;
        known[id] = false; // a cycle can only go through pointers, which do not embed
        result = spec[id] switch
        {
            BtfTypedef t when t.Name == "__builtin_va_list" => true,
            BtfTypedef or BtfConst or BtfVolatile or BtfRestrict or BtfTypeTag => EmbedsBuiltinVaList(spec, ((BtfReferenceType)spec[id]).Type, known),
            BtfArray a => EmbedsBuiltinVaList(spec, a.ElementType, known),
            BtfComposite c => c.Members.Any(m => EmbedsBuiltinVaList(spec, m.Type, known)),
            _ => false,
        };
        return known[id] = result;
    }

    private static void MarkReferences(BtfType t, bool[] referenced)
    {
        switch (t)
        {
            case BtfReferenceType r: referenced[r.Type] = true; break;
            case BtfArray a: referenced[a.ElementType] = referenced[a.IndexType] = true; break;
            case BtfComposite c: foreach (BtfMember m in c.Members) referenced[m.Type] = true; break;
            case BtfFuncProto p: foreach (BtfParameter q in p.Parameters) referenced[q.Type] = true; break;
            case BtfDataSec d: foreach (BtfVarSecInfo v in d.Variables) referenced[v.Type] = true; break;
        }
    }

    private readonly record struct Counts(int Structs, int Unions, int Typedefs, int NamedEnums, int AnonEnums);

    private static Counts Count(string header) => new(
        StructDefinition().Count(header),
        UnionDefinition().Count(header),
        TypedefDefinition().Count(header),
        NamedEnumDefinition().Count(header),
        AnonEnumDefinition().Count(header));

    [GeneratedRegex(@"^struct \w+ \{", RegexOptions.Multiline)]
    private static partial Regex StructDefinition();

    [GeneratedRegex(@"^union \w+ \{", RegexOptions.Multiline)]
    private static partial Regex UnionDefinition();

    [GeneratedRegex(@"^typedef ", RegexOptions.Multiline)]
    private static partial Regex TypedefDefinition();

    [GeneratedRegex(@"^enum \w+ \{", RegexOptions.Multiline)]
    private static partial Regex NamedEnumDefinition();

    [GeneratedRegex(@"^enum \{", RegexOptions.Multiline)]
    private static partial Regex AnonEnumDefinition();

    /// <summary>A temporary directory removed on dispose.</summary>
    internal sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ebpf-btfc-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
