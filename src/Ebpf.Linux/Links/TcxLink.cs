using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A TC program attached to an interface's ingress or egress through a tcx link (BPF_LINK_CREATE with
/// BPF_TCX_INGRESS/BPF_TCX_EGRESS; BPF_LINK_TYPE_TCX, Linux 6.6+). Programs on a tcx hook form an ordered chain and
/// return TC verdicts (TC_ACT_OK, TC_ACT_SHOT, ...) directly; no qdisc is involved. Older kernels use
/// <c>ClsactAttachment</c> (netlink, cls_bpf in direct-action mode) instead.
/// </summary>
public sealed class TcxLink : Link, ITcAttachment
{
    private TcxLink(SafeBpfHandle handle, int ifindex, TcDirection direction) : base(handle) => (Ifindex, Direction) = (ifindex, direction);

    /// <summary>The interface's index (in the namespace where the link was created).</summary>
    public int Ifindex { get; }

    /// <summary>Ingress or egress.</summary>
    public TcDirection Direction { get; }

    /// <summary>
    /// Attaches <paramref name="program"/> (a SchedClassifier) to <paramref name="direction"/> of interface
    /// <paramref name="ifindex"/> in the calling thread's network namespace.
    /// </summary>
    /// <param name="program">The classifier.</param>
    /// <param name="ifindex">The interface.</param>
    /// <param name="direction">Ingress or egress.</param>
    /// <param name="placement">Where in the chain: appended (default), or before/after <paramref name="relativeTo"/>
    /// (first/last of the chain when that is null).</param>
    /// <param name="relativeTo">Another tcx link on the same hook that <paramref name="placement"/> refers to.</param>
    /// <exception cref="ArgumentException">The program is not a SchedClassifier.</exception>
    /// <exception cref="KernelFeatureMissingException">The kernel has no tcx (before 6.6).</exception>
    /// <exception cref="BpfException">ENODEV: no such interface; ENOENT: <paramref name="relativeTo"/> is not on this hook.</exception>
    public static TcxLink Attach(KernelProgram program, int ifindex, TcDirection direction,
        TcxPlacement placement = TcxPlacement.Append, Link? relativeTo = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type != ProgramType.SchedClassifier) throw new ArgumentException($"{program} is not a SchedClassifier program", nameof(program));
        ArgumentOutOfRangeException.ThrowIfLessThan(ifindex, 1);
        if (placement == TcxPlacement.Append && relativeTo is not null)
            throw new ArgumentException("a relative link needs TcxPlacement.Before or After", nameof(relativeTo));
        var attachType = direction == TcDirection.Ingress ? AttachType.TcxIngress : AttachType.TcxEgress;
        var attr = new LinkCreateFullAttr
        {
            TargetFd = (uint)ifindex,
            AttachType = (uint)attachType,
            Flags = placement switch
            {
                TcxPlacement.Before => BpfAttachFlags.Before,
                TcxPlacement.After => BpfAttachFlags.After,
                _ => 0,
            } | (relativeTo is null ? 0 : BpfAttachFlags.Link),
        };
        using var prog = program.Handle.Lease(out attr.ProgFd);
        using var relative = FdLease.Optional(relativeTo?.Handle, out attr.RelativeFd);
        int r = Bpf.Invoke(BpfCommand.LinkCreate, ref attr);
        ThrowIfTcxMissing(r, $"attach {program} to ifindex {ifindex} {direction}");
        return new TcxLink(BpfErrors.CheckFd(r, "attach tcx link of", $"{program} to ifindex {ifindex} {direction}"), ifindex, direction);
    }

    /// <summary>
    /// Kernels without tcx (before 6.6) do not know its attach types and answer a link or an attach with a bare EINVAL:
    /// when the probe confirms tcx is missing, say so instead.
    /// </summary>
    internal static void ThrowIfTcxMissing(int result, string what)
    {
        if (result == -(int)Errno.EINVAL && Features.KernelFeatures.LinkType(LinkType.Tcx).Result == Features.ProbeResult.Missing)
            throw new KernelFeatureMissingException("BPF_LINK_TYPE_TCX", $"{what}: tcx hooks need Linux 6.6+ (on this kernel attach to a clsact qdisc)", "6.6");
    }

    /// <summary>Always <see cref="TcAttachMode.Tcx"/>.</summary>
    public TcAttachMode Mode => TcAttachMode.Tcx;

    void ITcAttachment.Update(KernelProgram program) => Update(program);

    /// <inheritdoc/>
    public override string ToString() => $"tcx {Direction} link on ifindex {Ifindex} ({Handle})";
}
