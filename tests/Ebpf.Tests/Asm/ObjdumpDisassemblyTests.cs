using System.Globalization;
using System.Text.RegularExpressions;
using Ebpf.Asm;
using Ebpf.Asm.Formatting;
using Ebpf.Elf;
using Ebpf.Testing;
using Ebpf.Tests.Elf;

namespace Ebpf.Tests.Asm;

/// <summary>Our objdump-syntax text against llvm-objdump's on every instruction of every compiled object.</summary>
public partial class ObjdumpDisassemblyTests
{
    public static TheoryData<string, bool> ObjectsAndRadix()
    {
        var data = new TheoryData<string, bool>();
        foreach (string o in LlvmTools.Objects())
        {
            data.Add(o, false);
            data.Add(o, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ObjectsAndRadix))]
    public void EveryExecutableSection_MatchesLlvmObjdump(string name, bool hex)
    {
        string path = RepoPaths.BpfObject(name);
        ElfFile elf = ElfFile.Load(path);
        string[] arguments = hex ? ["-d", "--no-show-raw-insn", "--print-imm-hex", path] : ["-d", "--no-show-raw-insn", path];
        Dictionary<string, SortedDictionary<int, string>> expected = ParseObjdump(LlvmTools.Run("llvm-objdump", arguments));

        var sections = BpfObjectPrograms.Read(elf).Where(s => s.Instructions.Length > 0).ToList();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), sections.Select(s => s.Name).Order(StringComparer.Ordinal));
        int compared = 0, newer = 0;
        foreach (BpfCodeSection section in sections)
        {
            DisassemblySymbols symbols = section.ToDisassemblySymbols(elf);
            SortedDictionary<int, string> llvm = expected[section.Name];
            var ours = new SortedDictionary<int, string>();
            for (int i = 0; i < section.Instructions.Length; i += section.Instructions[i].IsLoadImm64 ? 2 : 1)
                ours[i] = ObjdumpFormatter.Format(section.Instructions, i, symbols, hex);

            Assert.Equal(llvm.Keys, ours.Keys);
            foreach ((int index, string text) in llvm)
            {
                Instruction insn = section.Instructions[index];
                if (ObjdumpSyntaxFormatter.NeedsNewerLlvm(insn))
                {
                    // LLVM 14 prints <unknown> (or a wrong form); ObjdumpFormatterTests pins our text for these.
                    Assert.NotEqual(ObjdumpSyntaxFormatter.Unknown, ours[index]);
                    newer++;
                    continue;
                }
                Assert.True(Normalize(text) == Normalize(ours[index]),
                    $"{name} section {section.Name} instruction {index} ({insn}): llvm-objdump '{text}', ours '{ours[index]}'");
                compared++;
            }
        }
        Assert.True(compared > 0);
        if (name.EndsWith("isa_extensions.o", StringComparison.Ordinal)) Assert.True(newer >= 30, $"only {newer} instructions beyond LLVM 14");
    }

    /// <summary>Instruction texts by section name and instruction index.</summary>
    internal static Dictionary<string, SortedDictionary<int, string>> ParseObjdump(string output)
    {
        var result = new Dictionary<string, SortedDictionary<int, string>>();
        SortedDictionary<int, string>? current = null;
        foreach (string line in output.Split('\n'))
        {
            Match section = SectionHeader().Match(line);
            if (section.Success)
            {
                current = [];
                result[section.Groups[1].Value] = current;
                continue;
            }
            Match insn = InstructionLine().Match(line);
            if (insn.Success && current is not null)
                current[int.Parse(insn.Groups[1].Value, CultureInfo.InvariantCulture)] = insn.Groups[2].Value;
        }
        return result;
    }

    // Whitespace collapsed; a target llvm-objdump names relative to another symbol (<f+0x48>) has no label of its
    // own, and we print labels only for exact symbols, so such suffixes are dropped.
    internal static string Normalize(string text) =>
        RelativeLabel().Replace(Whitespace().Replace(text.Trim(), " "), "");

    [GeneratedRegex(@"^Disassembly of section (.*):$")]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"^\s*(\d+):\t(.*?)\s*$")]
    private static partial Regex InstructionLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@" <[^<>]*\+0x[0-9a-f]+>")]
    private static partial Regex RelativeLabel();
}
