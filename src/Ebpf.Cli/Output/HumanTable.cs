using Spectre.Console;

namespace Ebpf.Cli.Output;

/// <summary>A Spectre.Console table for people at a terminal (the piped form stays bpftool's plain text).</summary>
internal static class HumanTable
{
    /// <summary>Writes <paramref name="rows"/> under <paramref name="header"/> to the terminal.</summary>
    public static void Write(string title, string[] header, IEnumerable<string[]> rows)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle(title) };
        foreach (string h in header) table.AddColumn(new TableColumn(h));
        foreach (string[] row in rows) table.AddRow(row.Select(c => Markup.Escape(c)).ToArray());
        AnsiConsole.Write(table);
    }
}
