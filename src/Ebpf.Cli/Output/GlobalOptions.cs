using System.CommandLine;

namespace Ebpf.Cli.Commands;

/// <summary>Options every command understands, spelled as bpftool spells them.</summary>
internal static class GlobalOptions
{
    /// <summary><c>--json</c> / <c>-j</c>: machine-readable output.</summary>
    public static readonly Option<bool> Json = new("--json", "-j") { Description = "Print JSON (bpftool's shape where bpftool has the command)", Recursive = true };

    /// <summary><c>--pretty</c> / <c>-p</c>: indented JSON.</summary>
    public static readonly Option<bool> Pretty = new("--pretty", "-p") { Description = "Print indented JSON (implies --json)", Recursive = true };
}
