using System.Net.Sockets;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A Netfilter program on a netfilter hook of the calling thread's network namespace (BPF_LINK_CREATE with
/// BPF_NETFILTER; BPF_LINK_TYPE_NETFILTER, Linux 6.4+). It runs like an nftables base chain at <see cref="Priority"/>
/// and returns NF_ACCEPT (1) or NF_DROP (0). Disposing detaches it unless pinned.
/// </summary>
public sealed class NetfilterLink : Link
{
    private NetfilterLink(SafeBpfHandle handle, AddressFamily family, NetfilterHook hook, int priority) : base(handle) =>
        (Family, Hook, Priority) = (family, hook, priority);

    /// <summary>InterNetwork (NFPROTO_IPV4) or InterNetworkV6 (NFPROTO_IPV6).</summary>
    public AddressFamily Family { get; }

    /// <summary>The hook.</summary>
    public NetfilterHook Hook { get; }

    /// <summary>The position among the hook's functions (lower runs first; nftables' filter chains use 0).</summary>
    public int Priority { get; }

    /// <summary>Attaches <paramref name="program"/> (a Netfilter program) to <paramref name="hook"/> of <paramref name="family"/>.</summary>
    /// <param name="program">The program.</param>
    /// <param name="family">InterNetwork or InterNetworkV6.</param>
    /// <param name="hook">The hook.</param>
    /// <param name="priority">Not int.MinValue or int.MaxValue (reserved by netfilter).</param>
    /// <param name="defragment">Reassemble fragments before the program runs (BPF_F_NETFILTER_IP_DEFRAG, Linux 6.6+).</param>
    /// <exception cref="KernelFeatureMissingException">The kernel has no netfilter links (before 6.4).</exception>
    /// <exception cref="BpfException">EBUSY: another link has this priority on the hook; EINVAL: bad priority or flags.</exception>
    public static NetfilterLink Attach(KernelProgram program, AddressFamily family, NetfilterHook hook, int priority, bool defragment = false)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type != ProgramType.Netfilter) throw new ArgumentException($"{program} is not a Netfilter program", nameof(program));
        uint pf = family switch
        {
            AddressFamily.InterNetwork => 2,        // NFPROTO_IPV4
            AddressFamily.InterNetworkV6 => 10,     // NFPROTO_IPV6
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, "netfilter links take InterNetwork or InterNetworkV6"),
        };
        if (priority is int.MinValue or int.MaxValue) throw new ArgumentOutOfRangeException(nameof(priority), priority, "reserved by netfilter");
        var attr = new LinkCreateNetfilterAttr
        {
            AttachType = (uint)AttachType.Netfilter, ProtocolFamily = pf, HookNumber = (uint)hook, Priority = priority,
            NetfilterFlags = defragment ? 1u : 0,
        };
        using var prog = program.Handle.Lease(out attr.ProgFd);
        int r = Bpf.Invoke(BpfCommand.LinkCreate, ref attr);
        if (r < 0) Features.KernelFeatures.LinkType(LinkType.Netfilter).ThrowIfMissing();
        return new NetfilterLink(BpfErrors.CheckFd(r, "attach netfilter link of", $"{program} to {family} {hook} priority {priority}"), family, hook, priority);
    }

    /// <inheritdoc/>
    public override string ToString() => $"netfilter {Family} {Hook} link priority {Priority} ({Handle})";
}
