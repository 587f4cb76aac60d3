using Spectre.Console;

namespace Ebpf.Cli.Output;

/// <summary>
/// Tables for people: Spectre.Console when standard output is a terminal; the commands print bpftool's plain text
/// otherwise (piped, redirected, or <c>EBPF_PLAIN=1</c>).
/// </summary>
internal static class HumanTable
{
    /// <summary>True when standard output is a terminal (not a pipe or file) and plain output was not asked for.</summary>
    public static bool IsTerminal => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("EBPF_PLAIN") is null;

    /// <summary>Writes a table titled <paramref name="title"/> with <paramref name="header"/> and <paramref name="rows"/>.</summary>
    public static void Write(string title, IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle(Markup.Escape(title)) };
        foreach (string h in header) table.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (string[] row in rows) table.AddRow(row.Select(c => new Markup(Markup.Escape(c))).ToArray());
        AnsiConsole.Write(table);
    }
}
