using System.CommandLine;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Links;

/// <summary><c>ebpf link show [LINK]</c>: every link, or one.</summary>
internal static class LinkShowCommand
{
    /// <summary>Creates the command under <paramref name="name"/> ("show" or its alias "list").</summary>
    public static Command Create(string name)
    {
        var args = new Argument<string[]>("LINK") { Arity = ArgumentArity.ZeroOrMore, Description = "id ID | pinned FILE (default: all links)" };
        var command = new Command(name, """
            Show links: id, type, program, the hook (interface, cgroup, tracepoint, attach type) and the processes
            holding them. With LINK only that link (a JSON object instead of an array).

            Examples:
              ebpf link show
              ebpf link show id 12 -p
              ebpf link list pinned /sys/fs/bpf/my_link
            """) { args };
        command.SetGuardedAction(parse =>
        {
            string[] words = parse.GetValue(args) ?? [];
            bool json = parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty);
            var holders = ProcessFds.Holders(BpfObjectKind.Link);
            IReadOnlyList<ObjectHolder> PidsOf(uint id) => holders.TryGetValue(id, out var list) ? list : [];
            if (words.Length > 0)
            {
                int index = 0;
                using var link = LinkCommand.Open(words, ref index);
                LinkCommand.ExpectEnd(words, index);
                LinkInfo info = link.Info();
                if (json) Output.JsonOutput.Write(Console.Out, parse.GetValue(GlobalOptions.Pretty), w => LinkFormat.WriteJson(w, info, PidsOf(info.Id)));
                else Console.Out.Write(LinkFormat.Plain(info, PidsOf(info.Id)));
                return 0;
            }
            List<LinkInfo> links = [.. Linux.Links.Link.List()];
            if (json)
            {
                Output.JsonOutput.Write(Console.Out, parse.GetValue(GlobalOptions.Pretty), w =>
                {
                    w.WriteStartArray();
                    foreach (LinkInfo info in links) LinkFormat.WriteJson(w, info, PidsOf(info.Id));
                    w.WriteEndArray();
                });
            }
            else if (OutputMode.From(parse).Terminal)
            {
                Output.HumanTable.Write("links", ["ID", "TYPE", "PROG", "HOOK", "PIDS"], links.Select(l => new[]
                {
                    l.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), KernelEnumNames.Name(l.Type),
                    l.ProgramId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    LinkFormat.Plain(l, []).Split('\n', 2)[1].Trim().Replace('\t', ' '),
                    string.Join(", ", PidsOf(l.Id)),
                }));
            }
            else
            {
                foreach (LinkInfo info in links) Console.Out.Write(LinkFormat.Plain(info, PidsOf(info.Id)));
            }
            return 0;
        });
        return command;
    }
}
