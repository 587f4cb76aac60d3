using System.CommandLine;

namespace Ebpf.Cli.Commands;

/// <summary>
/// <c>ebpf conformance-plugin</c>: the plugin executable the bpf_conformance runner drives, one process per test.
/// argv: <c>[--program HEX] [MEMORY-HEX] [--engine interpreter|jit] [--debug] [--elf]</c>; stdin: the program hex
/// unless <c>--program</c> is given.
/// </summary>
internal static class ConformancePluginCommand
{
    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        // ZeroOrMore: the runner turns runs of spaces in --plugin_options into empty arguments; they are ignored.
        var memory = new Argument<string[]>("memory")
        {
            Description = "The memory the program gets in r1 (its length in r2), as hex bytes",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var engine = new Option<string>("--engine")
        {
            Description = "Which engine runs the program",
            DefaultValueFactory = _ => "interpreter",
        };
        engine.AcceptOnlyFromAmong("interpreter", "jit");
        var program = new Option<string?>("--program") { Description = "The program as hex bytes (default: read one line from stdin)" };
        var debug = new Option<bool>("--debug") { Description = "On failure, also list the program's instructions on stderr" };
        var elf = new Option<bool>("--elf") { Description = "The program is an ELF object (not supported: use raw instructions)" };

        var command = new Command("conformance-plugin", "Run one bpf_conformance test program (the runner's plugin protocol)")
        {
            memory, engine, program, debug, elf,
        };
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output, error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(elf))
            {
                error.WriteLine("conformance-plugin: --elf is not supported; run the runner without --elf true to send raw instructions");
                return ConformancePlugin.Unavailable;
            }
            string[] memoryArgs = [.. (parse.GetValue(memory) ?? []).Where(a => a.Length > 0)];
            if (memoryArgs.Length > 1)
            {
                error.WriteLine($"Unexpected arguments: {string.Join(' ', memoryArgs.Skip(1))}");
                return ConformancePlugin.ProgramFailed;
            }
            string code = parse.GetValue(program) ?? Console.In.ReadToEnd();
            return ConformancePlugin.Run(code, memoryArgs.FirstOrDefault(), parse.GetValue(engine)!, parse.GetValue(debug), output, error);
        });
        return command;
    }
}
