using System.CommandLine;

namespace Ebpf.Cli.Commands.Map;

/// <summary><c>ebpf map ...</c>: bpftool's map commands.</summary>
internal static class MapCommand
{
    /// <summary>Creates the <c>map</c> command tree.</summary>
    public static Command Create() => new("map", "Inspect and edit BPF maps (bpftool's map commands and syntax).")
    {
        MapShowCommand.Create(),
        MapDumpCommand.Create(),
        MapLookupCommand.Create(),
        MapUpdateCommand.Create(),
        MapDeleteCommand.Create(),
        MapGetNextCommand.Create(),
        MapCreateCommand.Create(),
        MapPinCommand.Create(),
        MapFreezeCommand.Create(),
        MapQueueCommands.Peek(),
        MapQueueCommands.Push(),
        MapQueueCommands.Pop(),
        MapEventPipeCommand.Create(),
    };
}
