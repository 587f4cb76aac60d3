using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// An XDP program attached to an interface through a link (BPF_LINK_CREATE with BPF_XDP; BPF_LINK_TYPE_XDP, Linux 5.9+).
/// Unlike a netlink attachment it cannot be replaced by another process by
/// accident and goes away with its last fd.
/// </summary>
public sealed class XdpLink : Link
{
    private XdpLink(SafeBpfHandle handle, int ifindex, XdpMode mode) : base(handle) => (Ifindex, Mode) = (ifindex, mode);

    /// <summary>The interface's index (in the namespace where the link was created).</summary>
    public int Ifindex { get; }

    /// <summary>The mode asked for.</summary>
    public XdpMode Mode { get; }

    /// <summary>
    /// Attaches <paramref name="program"/> to interface <paramref name="ifindex"/> of the calling thread's network
    /// namespace (use <see cref="NetNs.NetworkNamespace.Run{T}(string, Func{T})"/> for another one).
    /// </summary>
    /// <exception cref="ArgumentException">The program is not an XDP program.</exception>
    /// <exception cref="BpfException">EBUSY: another program is attached in this mode (by netlink or another link);
    /// ENODEV: no such interface; EOPNOTSUPP (as <see cref="KernelFeatureMissingException"/>): the driver lacks the mode.</exception>
    public static XdpLink Attach(KernelProgram program, int ifindex, XdpMode mode = XdpMode.Default)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type != ProgramType.Xdp) throw new ArgumentException($"{program} is not an XDP program", nameof(program));
        ArgumentOutOfRangeException.ThrowIfLessThan(ifindex, 1);
        var attr = new LinkCreateFullAttr { TargetFd = (uint)ifindex, AttachType = (uint)AttachType.Xdp, Flags = (uint)mode };
        using var prog = program.Handle.Lease(out attr.ProgFd);
        return new XdpLink(BpfErrors.CheckFd(Bpf.Invoke(BpfCommand.LinkCreate, ref attr), "attach XDP link of", $"{program} to ifindex {ifindex} ({mode})"), ifindex, mode);
    }

    /// <inheritdoc/>
    public override string ToString() => $"XDP link on ifindex {Ifindex} ({Handle})";
}
