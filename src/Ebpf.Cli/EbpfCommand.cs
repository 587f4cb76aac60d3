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
        // RootCommand brings --help, --version (the informational version) and the [suggest] directive completion uses.
        root.Subcommands.Add(Links.LinkCommand.Create());
        root.Subcommands.Add(Net.NetCommand.Create());
        root.Subcommands.Add(Cgroup.CgroupCommand.Create());
        root.Subcommands.Add(Perf.PerfCommand.Create());
        root.Subcommands.Add(CompletionCommand.Create());
        root.Subcommands.Add(AsmCommand.Create());
        root.Subcommands.Add(DisasmCommand.Create());
        root.Subcommands.Add(ConformancePluginCommand.Create());
        root.Subcommands.Add(BtfCommand.Create());
        root.Subcommands.Add(ObjectCommand.Create());
        root.Subcommands.Add(Prog.ProgCommand.Create());
        root.Subcommands.Add(Map.MapCommand.Create());
        root.Subcommands.Add(Feature.FeatureProbeCommand.Create());
        root.Subcommands.Add(StructOpsCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        ToolNameHelpAction.Install(root);
        return root;
    }
}
