using Ebpf.Testing;
using Ebpf.Asm;

namespace Ebpf.Vm.Tests.Conformance;

/// <summary>
/// Every bpf_conformance test program, assembled and run by the interpreter with the suite's convention
/// (r1 = a copy of the memory, r2 = its length): r0 must be the file's <c>-- result</c>.
/// </summary>
public class ConformanceTests
{
    public static TheoryData<string> Files => [.. ConformanceFile.Names()];

    [Theory]
    [MemberData(nameof(Files))]
    public void Interpreter_ProducesTheExpectedResult(string file)
    {
        ConformanceFile test = ConformanceFile.Load(file);
        Instruction[] program = Assembler.Assemble(test.Assembly);
        if (test.Raw is not null)
            Assert.Equal(test.Raw, program.Select(i => i.RawValue));
        ulong r0 = VmProgram.Load(program).Run([.. test.Memory]);
        Assert.Equal(test.Result, r0);
    }
}
