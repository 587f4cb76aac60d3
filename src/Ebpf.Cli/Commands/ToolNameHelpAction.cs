using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Text.RegularExpressions;

namespace Ebpf.Cli.Commands;

/// <summary>
/// Help that calls the tool <c>ebpf</c> whatever the host process is named: System.CommandLine names the root after
/// the entry file (<c>Ebpf.Cli</c> under <c>dotnet Ebpf.Cli.dll</c>, the test host, a renamed single file), and the
/// name cannot be set, so the usage lines of the stock help are rewritten on their way out.
/// </summary>
internal sealed partial class ToolNameHelpAction(HelpAction inner, string hostName) : SynchronousCommandLineAction
{
    /// <summary>The name users type.</summary>
    public const string ToolName = "ebpf";

    /// <inheritdoc />
    public override bool ClearsParseErrors => inner.ClearsParseErrors;

    /// <summary>Replaces the help action of every help option in the tree rooted at <paramref name="root"/>.</summary>
    public static void Install(RootCommand root)
    {
        if (RootCommand.ExecutableName == ToolName) return;
        foreach (Option option in root.Options)
            if (option is HelpOption { Action: HelpAction help } helpOption)
                helpOption.Action = new ToolNameHelpAction(help, RootCommand.ExecutableName);
    }

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        InvocationConfiguration configuration = parseResult.InvocationConfiguration;
        TextWriter output = configuration.Output;
        using var buffer = new StringWriter();
        configuration.Output = buffer;
        int code;
        try { code = inner.Invoke(parseResult); }
        finally { configuration.Output = output; }
        // Usage lines are "  NAME [command] [options]" and "  NAME prog show ...": the name starts the line's words.
        string pattern = $@"(?m)^(\s+){Regex.Escape(hostName)}(?=\s|$)";
        output.Write(Regex.Replace(buffer.ToString(), pattern, "$1" + ToolName));
        return code;
    }
}
