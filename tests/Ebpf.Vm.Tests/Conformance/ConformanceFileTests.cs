using Ebpf.Testing;
namespace Ebpf.Vm.Tests.Conformance;

public class ConformanceFileTests
{
    [Fact]
    public void TheSuiteHasAll313Files() => Assert.Equal(313, ConformanceFile.Suite().Count());

    [Fact]
    public void Parse_ReadsAsmMemoryResultAndRaw()
    {
        var file = ConformanceFile.Parse("x.data", """
            # comment
            -- asm
            mov %r0, %r2
            exit
            -- mem
            00 01
            ff
            -- no register offset
            -- result
            0x8
            -- raw
            0x00000000000000b4
            """);
        Assert.Equal("mov %r0, %r2\nexit", file.Assembly);
        Assert.Equal(new byte[] { 0, 1, 0xff }, file.Memory);
        Assert.Equal(8ul, file.Result);
        Assert.Equal(new ulong[] { 0xb4 }, file.Raw);
    }

    [Fact]
    public void EveryFileParses()
    {
        foreach (string name in ConformanceFile.Suite())
            Assert.False(string.IsNullOrWhiteSpace(ConformanceFile.Load(name).Assembly), name);
    }
}
