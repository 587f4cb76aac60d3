using System.CommandLine;

namespace Ebpf.Cli.Commands.Prog;

/// <summary><c>ebpf prog ...</c>: bpftool's program commands.</summary>
internal static class ProgCommand
{
    /// <summary>Creates the <c>prog</c> command tree.</summary>
    public static Command Create() => new("prog", "Inspect, load, pin, attach and test-run BPF programs (bpftool's prog commands and syntax).")
    {
        ProgShowCommand.Create(),
        ProgDumpCommand.Create(),
        ProgPinCommand.Create(),
        ProgLoadCommands.Load(),
        ProgLoadCommands.LoadAll(),
        ProgAttachCommands.Attach(),
        ProgAttachCommands.Detach(),
        ProgRunCommand.Create(),
        ProgProfileCommand.Create(),
        ProgTracelogCommand.Create(),
    };
}
