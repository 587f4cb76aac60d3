using Ebpf.Testing;
using System.Diagnostics;
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
    public async Task Process_SpeaksTheRunnerProtocol(string file)
    {
        var (program, memory, expected) = Prepare(file);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ebpf.Cli.dll"));
        start.ArgumentList.Add("conformance-plugin");
        if (memory is not null) start.ArgumentList.Add(memory);
        using var process = Process.Start(start)!;
        CancellationToken cancel = TestContext.Current.CancellationToken;
        await process.StandardInput.WriteAsync(program.AsMemory(), cancel);
        process.StandardInput.Close();
        Task<string> error = process.StandardError.ReadToEndAsync(cancel);
        string output = await process.StandardOutput.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await error}");
        Assert.Equal(expected.ToString("x") + "\n", output.ReplaceLineEndings("\n"));
    }
}
