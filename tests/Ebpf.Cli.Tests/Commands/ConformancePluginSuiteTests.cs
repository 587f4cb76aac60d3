using Ebpf.Testing;
using Ebpf.Asm;
using Ebpf.Cli.Commands;

namespace Ebpf.Cli.Tests.Commands;

/// <summary>
/// The plugin reproduces every expected r0 of the bpf_conformance suite, given the program and memory exactly
/// as the runner sends them (two spaces after each hex byte, memory as the first argument).
/// </summary>
public class ConformancePluginSuiteTests
{
    public static TheoryData<string> Files => [.. ConformanceFile.Names()];

    private static (string Program, string? Memory, ulong Expected) Prepare(string file)
    {
        ConformanceFile test = ConformanceFile.Load(file);
        string program = ConformancePluginTests.Hex(InstructionStream.Encode(Assembler.Assemble(test.Assembly))) + "\n";
        return (program, test.Memory.Length == 0 ? null : ConformancePluginTests.Hex(test.Memory), test.Result);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Plugin_ReproducesTheExpectedR0(string file)
    {
        var (program, memory, expected) = Prepare(file);
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, ConformancePlugin.Run(program, memory, "interpreter", debug: false, output, error));
        Assert.Equal(expected.ToString("x"), output.ToString().Trim());
    }

    // One process per test, as the runner does it: argv, stdin, stdout, exit code.
    [Theory]
    [InlineData("mem-len.data")]
    [InlineData("subnet.data")]
    [InlineData("callx.data")]
    [InlineData("lock_cmpxchg.data")]
    [InlineData("call_local.data")]
    public void Process_SpeaksTheRunnerProtocol(string file)
    {
        var (program, memory, expected) = Prepare(file);
        string[] args = memory is null ? ["conformance-plugin"] : ["conformance-plugin", memory];
        var (exitCode, output, error) = CliProcess.Run(program, args);
        Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
        Assert.Equal(expected.ToString("x") + "\n", output.ReplaceLineEndings("\n"));
    }
}
