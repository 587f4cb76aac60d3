using System.CommandLine;
using Ebpf.Cli.Output;

namespace Ebpf.Cli.Commands.Links;

/// <summary><c>ebpf link pin LINK FILE</c>.</summary>
internal static class LinkPinCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var args = new Argument<string[]>("ARGS") { Arity = ArgumentArity.OneOrMore, Description = "LINK FILE, LINK := id ID | pinned FILE" };
        var command = new Command("pin", """
            Pin a link on bpffs: its program stays attached after every fd of the link is closed.

            Examples:
              ebpf link pin id 12 /sys/fs/bpf/my_link
            """) { args };
        command.SetGuardedAction(parse =>
        {
            string[] words = parse.GetValue(args) ?? [];
            int index = 0;
            using var link = LinkCommand.Open(words, ref index);
            if (index >= words.Length) throw new CliError("expected FILE: where to pin the link (a path on bpffs, e.g. /sys/fs/bpf/my_link)");
            string path = words[index++];
            LinkCommand.ExpectEnd(words, index);
            link.Pin(path);
            if (parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty)) Console.Out.WriteLine("null");
            return 0;
        });
        return command;
    }
}
