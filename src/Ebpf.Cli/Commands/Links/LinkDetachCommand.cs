using System.CommandLine;

namespace Ebpf.Cli.Commands.Links;

/// <summary><c>ebpf link detach LINK</c>.</summary>
internal static class LinkDetachCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var args = new Argument<string[]>("LINK") { Arity = ArgumentArity.OneOrMore, Description = "id ID | pinned FILE" };
        var command = new Command("detach", """
            Detach a link's program from its hook now (BPF_LINK_DETACH), even while the link is pinned or held by
            other processes; the defunct link goes away with its last fd and pin.

            Examples:
              ebpf link detach id 12
              ebpf link detach pinned /sys/fs/bpf/my_link && rm /sys/fs/bpf/my_link
            """) { args };
        command.SetGuardedAction(parse =>
        {
            string[] words = parse.GetValue(args) ?? [];
            int index = 0;
            using var link = LinkCommand.Open(words, ref index);
            LinkCommand.ExpectEnd(words, index);
            link.Detach();
            if (parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty)) Console.Out.WriteLine("null");
            return 0;
        });
        return command;
    }
}
