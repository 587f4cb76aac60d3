using Ebpf.Cli.Tests.Compatibility;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Commands;

/// <summary>Shell completion: the [suggest] directive, and the bash script driving it in a real bash.</summary>
public sealed class CompletionTests : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("ebpf-completion-").FullName;

    [Fact]
    public void SuggestDirective_CompletesCommandsAndNetAttachTypes()
    {
        var (code, stdout, _) = SideBySide.TryEbpf(null, "[suggest:8]", "ebpf lin");
        Assert.Equal(0, code);
        Assert.Equal(["link"], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        (_, stdout, _) = SideBySide.TryEbpf(null, "[suggest:17]", "ebpf net attach x");
        Assert.Contains("xdpgeneric", stdout.Split('\n'));
    }

    [Fact]
    public void BashScript_CompletesInBash()
    {
        // An 'ebpf' on the PATH, as the installed tool would be.
        string wrapper = Path.Combine(_bin, "ebpf");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet '{SideBySide.CliDll}' \"$@\"\n");
        ExternalTool.Run("chmod", "+x", wrapper);
        string script = SideBySide.Ebpf(null, "completion", "bash");
        File.WriteAllText(Path.Combine(_bin, "ebpf.bash"), script);
        string test = $$"""
            export PATH='{{_bin}}':"$PATH"
            source '{{_bin}}/ebpf.bash'
            COMP_LINE='ebpf ne'; COMP_POINT=7; COMP_WORDS=(ebpf ne); COMP_CWORD=1
            _ebpf_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        string output = ExternalTool.Run("bash", "-c", test);
        Assert.Equal(["net"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("zsh", "compdef")]
    [InlineData("fish", "complete -c ebpf")]
    public void OtherShells_HaveScripts(string shell, string marker) =>
        Assert.Contains(marker, SideBySide.Ebpf(null, "completion", shell), StringComparison.Ordinal);

    public void Dispose() => Directory.Delete(_bin, recursive: true);
}
