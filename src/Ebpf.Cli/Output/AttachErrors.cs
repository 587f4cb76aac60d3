using Ebpf.Linux;

namespace Ebpf.Cli.Output;

/// <summary>One message for a failed BPF_PROG_ATTACH/DETACH: the command's own words for what, the errno, the usual cause.</summary>
internal static class AttachErrors
{
    /// <summary>The error for <paramref name="e"/> while doing <paramref name="what"/> ("attach tcx_egress program 'x' to interface veth0(3)").</summary>
    public static CliError From(string what, BpfException e) => new($"{what}: {e.Errno.Describe()}{Hint(e.Errno)}");

    private static string Hint(Errno errno) => errno switch
    {
        Errno.EEXIST or Errno.EBUSY => "; something is attached there already",
        Errno.EINVAL => "; the program's type or expected attach type does not fit this hook",
        Errno.ENOENT => "; nothing (or not that program) is attached there",
        _ => "",
    };
}
