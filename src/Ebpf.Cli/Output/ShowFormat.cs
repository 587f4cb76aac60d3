using System.Text.Json;
using Ebpf.Cli.Commands;
using Ebpf.Linux;

namespace Ebpf.Cli.Output;

/// <summary>
/// How a <c>show</c> command prints one kind of kernel object: bpftool's JSON object and plain text, and a row of the
/// table people see on a terminal. <c>prog show</c> and <c>map show</c> differ only in these.
/// </summary>
/// <param name="Title">The table's title ("programs").</param>
/// <param name="Header">The table's columns.</param>
/// <param name="WriteJson">Writes one object as bpftool does.</param>
/// <param name="Text">One object as bpftool's plain text.</param>
/// <param name="Cells">One table row.</param>
internal sealed record ShowFormat<TRow>(string Title, IReadOnlyList<string> Header, Action<Utf8JsonWriter, TRow> WriteJson,
    Func<TRow, string> Text, Func<TRow, string[]> Cells)
{
    /// <summary>
    /// Reads a row for each object, prints them in <paramref name="mode"/>, and closes the objects' handles.
    /// </summary>
    /// <param name="objects">The objects, with their info.</param>
    /// <param name="read">What the row needs beyond the info (fdinfo, times).</param>
    /// <param name="named">True when the command named objects: bpftool then prints a bare JSON object for a single
    /// match, and an array for listings and several matches.</param>
    /// <param name="mode">JSON, table or text.</param>
    public int Print<TInfo>(List<(SafeBpfHandle Handle, TInfo Info)> objects, Func<SafeBpfHandle, TInfo, TRow> read, bool named, OutputMode mode)
    {
        try
        {
            var rows = objects.Select(o => read(o.Handle, o.Info)).ToList();
            bool single = named && rows.Count == 1;
            if (mode.Json)
            {
                JsonOutput.Write(Console.Out, mode.Pretty, w =>
                {
                    if (!single) w.WriteStartArray();
                    foreach (TRow row in rows) WriteJson(w, row);
                    if (!single) w.WriteEndArray();
                });
            }
            else if (mode.Terminal && rows.Count > 0)
            {
                HumanTable.Write(Title, Header, rows.Select(Cells));
            }
            else
            {
                foreach (TRow row in rows) Console.Out.Write(Text(row));
            }
            return 0;
        }
        finally
        {
            foreach (var (handle, _) in objects) handle.Dispose();
        }
    }
}
