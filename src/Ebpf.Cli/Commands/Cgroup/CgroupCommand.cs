using System.CommandLine;

namespace Ebpf.Cli.Commands.Cgroup;

/// <summary><c>ebpf cgroup show|list|tree|attach|detach</c>, as bpftool spells them.</summary>
internal static class CgroupCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create() => new("cgroup", "Show and manage programs attached to cgroups v2 (bpftool cgroup).")
    {
        CgroupShowCommand.Create("show"), CgroupShowCommand.Create("list"), CgroupTreeCommand.Create(),
        CgroupAttachCommand.Create("attach"), CgroupAttachCommand.Create("detach"),
    };
}
