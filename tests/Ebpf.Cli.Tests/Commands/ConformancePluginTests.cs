using System.CommandLine;
using Ebpf.Asm;
using Ebpf.Cli.Commands;
using static Ebpf.Asm.Instruction;
using R = Ebpf.Asm.Register;

namespace Ebpf.Cli.Tests.Commands;

public class ConformancePluginTests
{
    // The runner's format: two lowercase hex digits and two spaces per byte.
    internal static string Hex(ReadOnlySpan<byte> bytes) => string.Concat(bytes.ToArray().Select(b => $"{b:x2}  "));

    internal static string Hex(params Instruction[] program) => Hex(InstructionStream.Encode(program));

    private static (int Exit, string Output, string Error) Run(string program, string? memory = null, string engine = "interpreter")
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = ConformancePlugin.Run(program, memory, engine, debug: false, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void PrintsR0_AsLowercaseHexWithoutPrefix()
    {
        var (exit, output, error) = Run(Hex(Mov(R.R0, -2), Exit()));
        Assert.Equal((0, "fffffffffffffffe\n", ""), (exit, output.ReplaceLineEndings("\n"), error));
    }

    [Fact]
    public void Memory_IsCopiedToR1_WithItsLengthInR2()
    {
        Assert.Equal("8\n", Run(Hex(Mov(R.R0, R.R2), Exit()), "00  00  00  01  00  00  00  02  ").Output.ReplaceLineEndings("\n"));
        Assert.Equal("201\n", Run(Hex(LoadMemory(MemorySize.Half, R.R0, R.R1, 2), Exit()), "aa  bb  01  02  ").Output.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("b7  00  00  00  05  00  00  00  95  00  00  00  00  00  00  00  ")]
    [InlineData("b7 00 00 00 05 00 00 00\n95 00 00 00 00 00 00 00\n")]
    [InlineData("b700000005000000 9500000000000000")]
    [InlineData("\t0xb7 0x00 0x00 0x00 0x05 0x00 0x00 0x00 0x95 00 00 00 00 00 00 00\r\n")]
    public void ProgramHex_AcceptsAnyWhitespace(string program) => Assert.Equal("5", Run(program).Output.Trim());

    [Fact]
    public void InvalidProgram_ExitsOne_WithTheReasonOnStderr()
    {
        var (exit, output, error) = Run(Hex(Ja(5), Exit()));
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("outside the program", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zz  ")]
    [InlineData("b7  0")]
    [InlineData("b7  00  00")] // not a multiple of 8
    public void MalformedHex_ExitsOne(string program) => Assert.Equal(1, Run(program).Exit);

    [Fact]
    public void Fault_ExitsOne_WithTheFaultOnStderr()
    {
        var (exit, _, error) = Run(Hex(LoadMemory(MemorySize.DoubleWord, R.R0, R.R1, 0), Exit()), "01  02  ");
        Assert.Equal(1, exit);
        Assert.Contains("OutOfBounds", error, StringComparison.Ordinal);
    }

    [Fact]
    public void JitEngine_ExitsTwo_SayingItIsNotAvailable()
    {
        var (exit, _, error) = Run(Hex(Exit()), engine: "jit");
        Assert.Equal(2, exit);
        Assert.Equal(ConformancePlugin.JitUnavailable, error.Trim());
    }

    private static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand { ConformancePluginCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = root.Parse(["conformance-plugin", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Command_TakesMemoryPositionally_AndIgnoresEmptyArguments()
    {
        var (exit, output, _) = Invoke("--program", Hex(Mov(R.R0, R.R2), Exit()), "aa  bb  ", "", "--debug");
        Assert.Equal((0, "2"), (exit, output.Trim()));
    }

    [Fact]
    public void Command_EngineJit_ExitsTwo() =>
        Assert.Equal(2, Invoke("--program", Hex(Exit()), "--engine", "jit").Exit);

    [Fact]
    public void Command_Elf_ExitsTwo_WithAClearError()
    {
        var (exit, _, error) = Invoke("--program", "00  ", "--elf");
        Assert.Equal(2, exit);
        Assert.Contains("--elf is not supported", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_TwoMemoryArguments_AreUnexpected() =>
        Assert.Equal(1, Invoke("--program", Hex(Exit()), "aa  ", "bb  ").Exit);
}
