using System.CommandLine;

namespace Ebpf.Cli.Commands;

/// <summary>How a command prints: bpftool's JSON (<c>-j</c>), indented JSON (<c>-p</c>), or text.</summary>
/// <param name="Json">JSON output.</param>
/// <param name="Pretty">Indented JSON.</param>
internal sealed record OutputMode(bool Json, bool Pretty)
{
    /// <summary>Text for people: a table when stdout is a terminal, bpftool's plain text when piped.</summary>
    public bool Terminal => !Json && Output.HumanTable.IsTerminal;

    /// <summary>Reads <c>-j</c>/<c>-p</c> from the parse result.</summary>
    public static OutputMode From(ParseResult parse)
    {
        bool pretty = parse.GetValue(GlobalOptions.Pretty);
        return new OutputMode(pretty || parse.GetValue(GlobalOptions.Json), pretty);
    }
}
