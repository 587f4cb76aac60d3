using System.CommandLine;

namespace Ebpf.Cli.Commands;

/// <summary>The root of the <c>ebpf</c> command tree.</summary>
internal static class EbpfCommand
{
    /// <summary>Builds the whole command tree.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("ebpf: assemble, disassemble, inspect, verify and run eBPF programs (bpftool-compatible)");
        root.Options.Add(GlobalOptions.Json);
        root.Options.Add(GlobalOptions.Pretty);
        root.Subcommands.Add(AsmCommand.Create());
        root.Subcommands.Add(DisasmCommand.Create());
        root.Subcommands.Add(ConformancePluginCommand.Create());
        root.Subcommands.Add(BtfCommand.Create());
        root.Subcommands.Add(ObjectCommand.Create());
        // TEMPORARY (events branch): the cli branch builds the full `map` and `prog` trees; the lead moves these two
        // subcommands into them at merge.
        root.Subcommands.Add(new Command("map", "Inspect and manage BPF maps.") { MapEventPipeCommand.Create() });
        root.Subcommands.Add(new Command("prog", "Inspect and manage BPF programs.") { ProgTracelogCommand.Create() });
        return root;
    }
}
