using System.CommandLine;
using Ebpf.Cli.Output;

namespace Ebpf.Cli.Commands;

/// <summary>
/// Runs a command body and turns the failures users cause (bad files, bad input) into one clear line on stderr
/// and exit code 1; anything else is a bug and keeps its stack trace.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Sets <paramref name="body"/> as the action of <paramref name="command"/> with error handling.</summary>
    public static void SetGuardedAction(this Command command, Func<ParseResult, int> body) =>
        command.SetAction(parse => Run(command.Name, parse, body));

    private static int Run(string name, ParseResult parse, Func<ParseResult, int> body)
    {
        try
        {
            return body(parse);
        }
        catch (CliError e)
        {
            return Fail(parse, e.Message, e.ExitCode);
        }
        catch (Ebpf.Linux.BpfVerifierException e)
        {
            // The one line first, then the whole log (on stderr, as libbpf prints it): the reason is usually near its
            // end, the context before it.
            int code = Fail(parse, $"{name}: {e.Message.Split('\n')[0]}");
            Console.Error.WriteLine("-- BEGIN PROG LOAD LOG --");
            Console.Error.Write(e.Log);
            if (!e.Log.EndsWith('\n')) Console.Error.WriteLine();
            Console.Error.WriteLine("-- END PROG LOAD LOG --");
            return code;
        }
        catch (KeyNotFoundException e)
        {
            return Fail(parse, $"{name}: {e.Message}");
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Fail(parse, $"{name}: {e.Message}");
        }
    }

    /// <summary>
    /// Reports a failure as bpftool does: <c>Error: MESSAGE</c> on stderr, or with <c>-j</c>/<c>-p</c> the object
    /// <c>{"error": "MESSAGE"}</c> on stdout, so a script parsing the JSON sees the failure in the same stream.
    /// </summary>
    private static int Fail(ParseResult parse, string message, int exitCode = 1)
    {
        OutputMode mode = OutputMode.From(parse);
        if (mode.Json)
        {
            Console.Out.Flush();
            JsonOutput.Write(Console.Out, mode.Pretty, w =>
            {
                w.WriteStartObject();
                w.WriteString("error", message);
                w.WriteEndObject();
            });
        }
        else
            Console.Error.WriteLine($"Error: {message}");
        return exitCode;
    }

    /// <summary>Reads a whole input file, or standard input for "-", with a clear error when it is missing.</summary>
    public static byte[] ReadInput(string path)
    {
        if (path == "-")
        {
            using var stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            stdin.CopyTo(buffer);
            return buffer.ToArray();
        }
        if (!File.Exists(path)) throw new CliError($"can't open '{path}': no such file");
        return File.ReadAllBytes(path);
    }
}
