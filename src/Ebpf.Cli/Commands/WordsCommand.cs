using System.CommandLine;

namespace Ebpf.Cli.Commands;

/// <summary>
/// A command whose arguments are bpftool's keyword sequence (<c>id 3 key hex 01 00 value 1 2</c>): System.CommandLine
/// collects the words, the body parses them in order, as bpftool does.
/// </summary>
internal static class WordsCommand
{
    /// <summary>Creates <paramref name="name"/> taking free words, described by <paramref name="help"/> (with examples).</summary>
    public static Command Create(string name, string syntax, string help, Func<string[], OutputMode, int> body, params string[] aliases)
    {
        var words = new Argument<string[]>("ARGS") { Arity = ArgumentArity.ZeroOrMore, Description = syntax };
        var command = new Command(name, help) { words };
        foreach (string alias in aliases) command.Aliases.Add(alias);
        command.SetGuardedAction(parse => body(parse.GetValue(words) ?? [], OutputMode.From(parse)));
        return command;
    }
}
