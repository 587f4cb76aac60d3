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
        Instruction[] program = Assembler.Assemble(file.Assembly);
        Assert.NotEmpty(program);
        if (file.Raw is not null) Assert.Equal(file.Raw, program.Select(i => i.RawValue).ToArray());

        byte[] bytes = InstructionStream.Encode(program);
        Instruction[] decoded = InstructionStream.Decode(bytes);
        string text = AsmFormatter.FormatProgram(decoded);
        Instruction[] again = Assembler.Assemble(text);
        Assert.Equal(bytes, InstructionStream.Encode(again));
    }

    [Fact]
    public void EverySuiteFile_IsCovered()
    {
        // The suite has 313 programs; a test data path problem must not pass as "no cases".
        Assert.Equal(313, ConformanceFile.Names().Count());
    }
}
