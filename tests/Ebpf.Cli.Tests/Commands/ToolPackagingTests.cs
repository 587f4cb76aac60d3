using Ebpf.Cli.Tests.Compatibility;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Commands;

/// <summary>The packed dotnet tool installs from a local folder into a clean directory and runs.</summary>
public sealed class ToolPackagingTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("ebpf-tool-").FullName;

    [Fact]
    public void PackedTool_InstallsWithAddSource_AndPrintsItsVersion()
    {
        string project = Path.Combine(RepoPaths.Root, "src", "Ebpf.Cli", "Ebpf.Cli.csproj");
        if (!File.Exists(project) || !Directory.Exists(Path.Combine(RepoPaths.Root, "artifacts", "obj", "Ebpf.Cli")))
            Assert.Skip("packing needs the repository with a built src/Ebpf.Cli (tests copied elsewhere cannot pack)");
        string packages = Path.Combine(_temp, "packages"), tools = Path.Combine(_temp, "tools"), clean = Path.Combine(_temp, "clean");
        Directory.CreateDirectory(clean);
        // --no-build: pack the build the tests run against, instead of building again beside them.
        ExternalTool.Run("dotnet", "pack", project, "-c", "Release", "--no-build", "-o", packages, "-nologo", "-v:q");
        string package = Assert.Single(Directory.GetFiles(packages, "Ebpf.Cli.*.nupkg"));
        string version = Path.GetFileNameWithoutExtension(package)["Ebpf.Cli.".Length..];

        var (code, stdout, stderr) = RunIn(clean, "dotnet", "tool", "install", "Ebpf.Cli", "--tool-path", tools, "--add-source", packages, "--version", version,
            "--ignore-failed-sources");   // offline machines: the local folder is enough
        Assert.True(code == 0, stderr + stdout);
        (code, stdout, stderr) = RunIn(clean, Path.Combine(tools, "ebpf"), "--version");
        Assert.True(code == 0, stderr);
        Assert.StartsWith(version, stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Version_MatchesTheAssembly()
    {
        var (code, stdout, _) = SideBySide.TryEbpf(null, "--version");
        Assert.Equal(0, code);
        Assert.StartsWith(typeof(Ebpf.Cli.Commands.EbpfCommand).Assembly.GetName().Version!.ToString(3), stdout.Trim(), StringComparison.Ordinal);
    }

    private static (int, string, string) RunIn(string directory, string tool, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(tool) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(start)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);
}
