using System.Diagnostics;

namespace Ebpf.Cli.Tests.Commands;

/// <summary>Runs the built <c>ebpf</c> command (Ebpf.Cli.dll beside the tests) as a separate process.</summary>
internal static class CliProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ebpf.Cli.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"ebpf {string.Join(' ', args)} did not finish in 60 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
