using Ebpf.Linux;

namespace Ebpf.Cli.Output;

/// <summary>
/// One message for a failed attach or detach: the command's own words for what, the errno, the usual cause. The
/// kernel's errno is the same whether Ebpf.Linux reports it as a <see cref="BpfException"/>, as an
/// <see cref="UnauthorizedAccessException"/> (EPERM) or as a <see cref="KernelFeatureMissingException"/> (EOPNOTSUPP).
/// </summary>
internal static class AttachErrors
{
    /// <summary>The error for <paramref name="e"/> while doing <paramref name="what"/> ("attach tcx_egress program 'x' to interface veth0(3)").</summary>
    public static CliError From(string what, BpfException e) => new($"{what}: {e.Errno.Describe()}{Hint(e.Errno)}");

    /// <summary>The error for a failed XDP attach or detach by netlink, or null when <paramref name="e"/> carries no errno.</summary>
    public static CliError? FromXdp(string what, Exception e) => ErrnoOf(e) is { } errno ? new($"{what}: {errno.Describe()}{XdpHint(errno)}") : null;

    private static Errno? ErrnoOf(Exception e) => e switch
    {
        BpfException b => b.Errno,
        { InnerException: BpfException b } => b.Errno,
        _ => null,
    };

    private static string Hint(Errno errno) => errno switch
    {
        Errno.EEXIST or Errno.EBUSY => "; something is attached there already",
        Errno.EINVAL => "; the program's type or expected attach type does not fit this hook",
        Errno.ENOENT => "; nothing (or not that program) is attached there",
        _ => "",
    };

    private static string XdpHint(Errno errno) => errno switch
    {
        Errno.EBUSY or Errno.EEXIST => "; a program is attached already (add 'overwrite' to replace it)",
        Errno.ENODEV => "; no such interface in this network namespace",
        Errno.EOPNOTSUPP => "; the driver lacks this XDP mode (try xdpgeneric)",
        Errno.EPERM => "; run as root (CAP_NET_ADMIN)",
        _ => "",
    };
}
