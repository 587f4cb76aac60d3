using Ebpf.Asm;
using Ebpf.Testing;

namespace Ebpf.Tests.Asm;

public class AssemblerConformanceTests
{
    public static TheoryData<string> Files() => new(ConformanceFile.Names());

    [Theory]
    [MemberData(nameof(Files))]
    public void ConformanceProgram_Assembles_AndRoundTripsByteIdentical(string name)
    {
        ConformanceFile file = ConformanceFile.Load(name);
        // The shared parser drops whole-line comments; the assembler must take the section exactly as written.
        string source = AsmSection(File.ReadAllText(Path.Combine(RepoPaths.ConformanceTests, name)));
        Instruction[] program = Assembler.Assemble(source);
        Assert.NotEmpty(program);
        Assert.Equal(program, Assembler.Assemble(file.Assembly));
        if (file.Raw is not null) Assert.Equal(file.Raw, program.Select(i => i.RawValue).ToArray());

        byte[] bytes = InstructionStream.Encode(program);
        Instruction[] decoded = InstructionStream.Decode(bytes);
        string text = AsmFormatter.FormatProgram(decoded);
        Instruction[] again = Assembler.Assemble(text);
        Assert.Equal(bytes, InstructionStream.Encode(again));

        // Instruction by instruction too (what a disassembler listing shows): one line per instruction, lddw's
        // second slot has none.
        var lines = new List<string>();
        for (int i = 0; i < decoded.Length; i += decoded[i].IsLoadImm64 ? 2 : 1) lines.Add(AsmFormatter.Format(decoded, i));
        Assert.Equal(bytes, InstructionStream.Encode(Assembler.Assemble(string.Join('\n', lines))));
    }

    [Fact]
    public void EverySuiteFile_IsCovered()
    {
        // The suite has 313 programs; a test data path problem must not pass as "no cases".
        Assert.Equal(313, ConformanceFile.Suite().Count());
    }

    [Fact]
    public void RawSection_MatchesTheAssembler()
    {
        // lddw.data is the suite's file with a "-- raw" section; a parser that lost it would skip the byte check.
        ConformanceFile file = ConformanceFile.Load("lddw.data");
        Assert.NotNull(file.Raw);
        Assert.Equal(file.Raw, Assembler.Assemble(file.Assembly).Select(i => i.RawValue).ToArray());
    }

    /// <summary>The lines between "-- asm" and the next "--" header, comments included.</summary>
    private static string AsmSection(string text)
    {
        var lines = new List<string>();
        bool inside = false;
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("--", StringComparison.Ordinal))
            {
                inside = line[2..].Trim() == "asm";
                continue;
            }
            if (inside) lines.Add(line);
        }
        return string.Join('\n', lines);
    }
}
