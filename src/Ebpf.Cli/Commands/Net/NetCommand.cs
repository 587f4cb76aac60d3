using System.CommandLine;

namespace Ebpf.Cli.Commands.Net;

/// <summary><c>ebpf net show|list|attach|detach</c>, as bpftool spells them.</summary>
internal static class NetCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create() => new("net", "Show and manage the network programs of this network namespace (bpftool net).")
    {
        NetShowCommand.Create("show"), NetShowCommand.Create("list"), NetAttachCommand.Create(), NetDetachCommand.Create(),
    };
}
