using System.Text;
using Ebpf.Btf;
using Ebpf.Testing;

namespace Ebpf.Tests.Btf;

/// <summary>
/// Small hand-built BTF for the tricky corners of BTF → C. Each case checks key lines, then that clang
/// compiles the header with the BTF layout, then that bpftool writes the very same text for the same bytes.
/// </summary>
public class BtfCFormatterCaseTests
{
    private static readonly BtfInt Int = new("int", 4, BtfIntEncoding.Signed, 0, 32);
    private static readonly BtfInt Char = new("char", 1, BtfIntEncoding.Signed, 0, 8);

    [Fact]
    public void PointerCycle_GetsForwardDeclaration()
    {
        BtfType[] types =
        [
            Int,                                                               // 1
            new BtfStruct("A", 16, [new("b", 3, 0, 0), new("n", 1, 64, 0)]),    // 2
            new BtfPointer(4),                                                 // 3
            new BtfStruct("B", 8, [new("a", 5, 0, 0)]),                        // 4
            new BtfPointer(2),                                                 // 5
            new BtfStruct("self", 8, [new("next", 7, 0, 0)]),                  // 6
            new BtfPointer(6),                                                 // 7
        ];
        string header = Check(types,
            "struct B;\n\nstruct A {\n\tstruct B *b;\n\tint n;\n};\n\nstruct B {\n\tstruct A *a;\n};\n\n",
            "struct self {\n\tstruct self *next;\n};\n\n");
        Assert.DoesNotContain("struct self;", header);
    }

    [Fact]
    public void TypedefUsedThroughPointerInsideItsStruct_IsWrittenEarly()
    {
        BtfType[] types =
        [
            Int,                                                                   // 1
            new BtfTypedef("node_t", 3),                                           // 2
            new BtfStruct("node", 16, [new("next", 4, 0, 0), new("v", 1, 64, 0)]), // 3
            new BtfPointer(2),                                                     // 4
        ];
        Check(types, "struct node;\n\ntypedef struct node node_t;\n\nstruct node {\n\tnode_t *next;\n\tint v;\n};\n\n");
    }

    [Fact]
    public void FunctionPointerMembers_AndTypedefOfFunctionPointer()
    {
        BtfType[] types =
        [
            Int,                                                                   // 1
            Char,                                                                  // 2
            new BtfConst(2),                                                       // 3
            new BtfPointer(3),                                                     // 4  const char *
            new BtfStruct("ops", 16, [new("fn", 7, 0, 0), new("noargs", 10, 64, 0)]), // 5
            new BtfPointer(5),                                                     // 6
            new BtfPointer(8),                                                     // 7
            new BtfFuncProto(1, [new("", 6), new("", 4), new("", 0)]),            // 8  int (struct ops *, const char *, ...)
            new BtfFuncProto(0, []),                                               // 9  void (void)
            new BtfPointer(9),                                                     // 10
            new BtfTypedef("handler_t", 12),                                       // 11
            new BtfPointer(13),                                                    // 12
            new BtfFuncProto(0, [new("sig", 1)]),                                  // 13
        ];
        Check(types,
            "\tint (*fn)(struct ops *, const char *, ...);\n",
            "\tvoid (*noargs)(void);\n",
            "typedef void (*handler_t)(int sig);\n");
    }

    [Fact]
    public void ArraysOfFunctionPointers_PointersToArrays_Qualifiers()
    {
        BtfType[] types =
        [
            Int,                                                 // 1
            new BtfStruct("tables", 64,
            [
                new("handlers", 4, 0, 0), new("row", 7, 256, 0), new("grid", 8, 320, 0),
                new("getter", 11, 384, 0), new("cvp", 14, 448, 0),
            ]),                                                  // 2
            new BtfPointer(5),                                   // 3
            new BtfArray(3, 1, 4),                               // 4  void (*[4])(int)
            new BtfFuncProto(0, [new("", 1)]),                   // 5
            new BtfArray(1, 1, 8),                               // 6
            new BtfPointer(6),                                   // 7  int (*)[8]
            new BtfArray(9, 1, 2),                               // 8  char [2][3]
            new BtfArray(10, 1, 3),                              // 9
            Char,                                                // 10
            new BtfPointer(12),                                  // 11
            new BtfFuncProto(13, []),                            // 12 returns int (*)(int)
            new BtfPointer(15),                                  // 13
            new BtfConst(16),                                    // 14 volatile int *const
            new BtfFuncProto(1, [new("", 1)]),                   // 15
            new BtfPointer(17),                                  // 16
            new BtfVolatile(1),                                  // 17
        ];
        Check(types,
            "\tvoid (*handlers[4])(int);\n",
            "\tint (*row)[8];\n",
            "\tchar grid[2][3];\n",
            "(*getter)(void))(int);\n",
            "\tvolatile int * const cvp;\n");
    }

    [Fact]
    public void AnonymousNestedUnion_AndInlineAndTopLevelAnonymousEnums()
    {
        BtfType[] types =
        [
            Int,                                                                                  // 1
            new BtfInt("short", 2, BtfIntEncoding.Signed, 0, 16),                                 // 2
            new BtfStruct("outer", 12, [new("kind", 1, 0, 0), new("", 4, 32, 0), new("mode", 6, 64, 0)]), // 3
            new BtfUnion("", 4, [new("i", 1, 0, 0), new("parts", 5, 0, 0)]),                     // 4
            new BtfStruct("", 4, [new("lo", 2, 0, 0), new("hi", 2, 16, 0)]),                     // 5
            new BtfEnum("", 4, false, false, [new("MODE_A", 0), new("MODE_B", 1)]),               // 6
            new BtfEnum("", 4, false, false, [new("TOP_CONST", 42)]),                             // 7
            new BtfTypedef("tmode_t", 9),                                                         // 8
            new BtfEnum("", 4, true, false, [new("TM_NEG", -3)]),                                 // 9
        ];
        Check(types,
            "struct outer {\n\tint kind;\n\tunion {\n\t\tint i;\n\t\tstruct {\n\t\t\tshort lo;\n\t\t\tshort hi;\n\t\t} parts;\n\t};\n" +
            "\tenum {\n\t\tMODE_A = 0,\n\t\tMODE_B = 1,\n\t} mode;\n};\n\n",
            "enum {\n\tTOP_CONST = 42,\n};\n\n",
            "typedef enum {\n\tTM_NEG = -3,\n} tmode_t;\n\n");
    }

    [Fact]
    public void Bitfields_Padding_Packed()
    {
        var uint32 = new BtfInt("unsigned int", 4, BtfIntEncoding.None, 0, 32);
        var int64 = new BtfInt("long int", 8, BtfIntEncoding.Signed, 0, 64);
        BtfType[] types =
        [
            uint32,                                                                      // 1
            int64,                                                                       // 2
            Char,                                                                        // 3
            new BtfStruct("bits", 24,
                [new("a", 1, 0, 3), new("b", 1, 8, 5), new("c", 2, 64, 0), new("d", 3, 128, 0)]), // 4
            new BtfStruct("padded", 16, [new("x", 1, 0, 0)]),                           // 5
            new BtfStruct("pk", 5, [new("c", 3, 0, 0), new("i", 1, 8, 0)]),             // 6
            new BtfStruct("has_pk", 16, [new("c", 3, 0, 0), new("p", 6, 8, 0), new("l", 2, 64, 0)]), // 7
            new BtfStruct("gap", 24, [new("i", 1, 0, 0), new("l", 2, 128, 0)]),         // 8
            new BtfStruct("empty", 0, []),                                              // 9
            new BtfStruct("wrap", 4, [new("e", 9, 0, 0), new("v", 1, 0, 0)]),            // 10
        ];
        Check(types,
            "struct bits {\n\tunsigned int a: 3;\n",
            "struct padded {\n\tunsigned int x;\n\tlong: 64;\n};\n\n",
            "struct pk {\n\tchar c;\n\tunsigned int i;\n} __attribute__((packed));\n\n",
            "struct gap {\n\tunsigned int i;\n\tlong: 64;\n\tlong int l;\n};\n\n",
            "struct empty {};\n\n");
    }

    [Fact]
    public void DuplicateNames_GetNumberedSuffixes()
    {
        BtfType[] types =
        [
            Int,                                                                         // 1
            new BtfStruct("dup", 4, [new("x", 1, 0, 0)]),                                // 2
            new BtfStruct("dup", 8, [new("x", 1, 0, 0), new("y", 1, 32, 0)]),           // 3
            new BtfTypedef("dup_t", 2),                                                  // 4
            new BtfTypedef("dup_t", 3),                                                  // 5
            new BtfEnum("colors", 4, false, false, [new("RED", 0), new("GREEN", 1)]),    // 6
            new BtfEnum("colors2", 4, false, false, [new("RED", 5)]),                    // 7
            new BtfStruct("user", 12, [new("a", 4, 0, 0), new("b", 5, 32, 0)]),          // 8
            new BtfTypedef("RED", 1),                                                    // 9 clashes with enumerators
        ];
        Check(types,
            "struct dup___2 {\n\tint x;\n\tint y;\n};\n\n",
            "typedef struct dup___2 dup_t___2;\n\n",
            "\tRED___2 = 5,\n",
            "struct user {\n\tdup_t a;\n\tdup_t___2 b;\n};\n\n",
            "typedef int RED___3;\n\n");
    }

    [Fact]
    public void BoolEnum64Forwards_AndSkippedKinds()
    {
        BtfType[] types =
        [
            new BtfInt("_Bool", 1, BtfIntEncoding.Bool, 0, 8),                                     // 1
            new BtfTypedef("bool", 1),                                                             // 2
            new BtfEnum("big", 8, false, true, [new("B_MAX", -1), new("B_ONE", 1)]),               // 3
            new BtfEnum("sbig", 8, true, true, [new("S_MIN", long.MinValue), new("S_NEG", -1)]),   // 4
            new BtfForward("opaque", false),                                                       // 5
            new BtfForward("uopaque", true),                                                       // 6
            new BtfStruct("holder", 32, [new("flag", 2, 0, 0), new("o", 8, 64, 0), new("u", 9, 128, 0), new("f", 10, 192, 0)]), // 7
            new BtfPointer(5),                                                                     // 8
            new BtfPointer(6),                                                                     // 9
            new BtfFloat("double", 8),                                                             // 10
            new BtfFuncProto(15, [new("h", 12)]),                                                  // 11
            new BtfPointer(7),                                                                     // 12
            new BtfFunc("check", 11, BtfLinkage.Global),                                           // 13
            new BtfVar("counter", 15, BtfLinkage.Global),                                          // 14
            Int,                                                                                   // 15
            new BtfDataSec(".bss", 4, [new(14, 0, 4)]),                                            // 16
            new BtfDeclTag("tagged", 7, -1),                                                       // 17
            new BtfTypedef("__builtin_va_list", 19),                                               // 18
            new BtfPointer(0),                                                                     // 19
        ];
        string header = Check(types,
            "typedef _Bool bool;\n\n",
            "enum big {\n\tB_MAX = 18446744073709551615ULL,\n\tB_ONE = 1ULL,\n};\n\n",
            "enum sbig {\n\tS_MIN = -9223372036854775808LL,\n\tS_NEG = -1LL,\n};\n\n",
            "struct opaque;\n\nunion uopaque;\n\n",
            "struct holder {\n\tbool flag;\n\tstruct opaque *o;\n\tunion uopaque *u;\n\tdouble f;\n};\n\n");
        Assert.DoesNotContain("check", header);
        Assert.DoesNotContain("counter", header);
        Assert.DoesNotContain("tagged", header);
        Assert.DoesNotContain("__builtin_va_list", header);
    }

    [Fact]
    public void EmbeddedCycle_IsRejected()
    {
        BtfType[] types =
        [
            Int,
            new BtfStruct("A", 4, [new("b", 3, 0, 0)]),
            new BtfStruct("B", 4, [new("a", 2, 0, 0)]),
        ];
        BtfSpec spec = BtfReader.Parse(BtfWriter.Write(types));
        var e = Assert.Throws<BtfFormatException>(() => BtfCFormatter.Format(spec));
        Assert.Contains("cycle", e.Message);
    }

    [Fact]
    public void HeaderGuardOption_AndWriteEqualsFormat()
    {
        BtfSpec spec = BtfReader.Parse(BtfWriter.Write([Int, new BtfTypedef("s32", 1)]));
        string text = BtfCFormatter.Format(spec, new BtfCFormatOptions { HeaderGuard = "__MY_TYPES_H__" });
        Assert.StartsWith("#ifndef __MY_TYPES_H__\n#define __MY_TYPES_H__\n\n", text);
        Assert.Contains("\ntypedef int s32;\n\n#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n", text);
        Assert.EndsWith("#endif /* __MY_TYPES_H__ */\n", text);
        var writer = new StringWriter();
        BtfCFormatter.Write(spec, writer);
        Assert.Equal(BtfCFormatter.Format(spec), writer.ToString());
    }

    /// <summary>
    /// Formats <paramref name="types"/>, checks the expected fragments, compiles the header with a layout check,
    /// and compares with bpftool's output for the same BTF bytes.
    /// </summary>
    private static string Check(BtfType[] types, params string[] expectedFragments)
    {
        byte[] raw = BtfWriter.Write(types);
        BtfSpec spec = BtfReader.Parse(raw);
        string header = BtfCFormatter.Format(spec);
        foreach (string fragment in expectedFragments)
            Assert.True(header.Contains(fragment, StringComparison.Ordinal), $"expected\n{fragment}\nin\n{header}");

        using var dir = new BtfCFormatterTests.TempDirectory();
        var layout = new StringBuilder();
        BtfCFormatterTests.LayoutAsserts(spec, layout);
        File.WriteAllText(Path.Combine(dir.Path, "types.h"), header);
        string source = Path.Combine(dir.Path, "check.c");
        File.WriteAllText(source, "#include \"types.h\"\n" + layout);
        BtfCFormatterTests.RunClang("-target", "bpf", "-fsyntax-only", source);

        string rawPath = Path.Combine(dir.Path, "types.btf");
        File.WriteAllBytes(rawPath, raw);
        BtfCFormatterTests.AssertSameText(ExternalTool.Run("bpftool", "btf", "dump", "file", rawPath, "format", "c"), header);
        return header;
    }
}
