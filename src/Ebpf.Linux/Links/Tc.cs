using Ebpf.Linux.Netlink;

namespace Ebpf.Linux.Links;

/// <summary>Attaches TC programs the best way the kernel offers, and reports what is attached to an interface.</summary>
public static class Tc
{
    /// <summary>
    /// Attaches <paramref name="program"/> (a SchedClassifier) to <paramref name="direction"/> of interface
    /// <paramref name="ifindex"/> in the calling thread's namespace: a <see cref="TcxLink"/> when the kernel has tcx
    /// (probed, Linux 6.6+) or <paramref name="mode"/> asks for it, a <see cref="ClsactAttachment"/> otherwise.
    /// </summary>
    /// <param name="program">The classifier; it returns TC verdicts (direct action).</param>
    /// <param name="ifindex">The interface.</param>
    /// <param name="direction">Ingress or egress.</param>
    /// <param name="mode">Auto (probe), or force one mechanism.</param>
    /// <param name="priority">clsact only: the filter's priority.</param>
    /// <param name="handle">clsact only: the filter's handle.</param>
    /// <exception cref="KernelFeatureMissingException"><paramref name="mode"/> is Tcx and the kernel has no tcx.</exception>
    /// <exception cref="BpfException">ENODEV: no such interface; EEXIST: a clsact filter with this priority and handle exists.</exception>
    public static ITcAttachment Attach(KernelProgram program, int ifindex, TcDirection direction, TcAttachMode mode = TcAttachMode.Auto,
        ushort priority = 1, uint handle = 1)
    {
        if (mode == TcAttachMode.Auto)
            mode = Features.KernelFeatures.LinkType(LinkType.Tcx).IsSupported ? TcAttachMode.Tcx : TcAttachMode.Clsact;
        return mode switch
        {
            TcAttachMode.Tcx => TcxLink.Attach(program, ifindex, direction),
            TcAttachMode.Clsact => ClsactAttachment.Attach(program, ifindex, direction, priority, handle),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a TcAttachMode"),
        };
    }

    /// <summary>
    /// The ids of the programs attached to <paramref name="direction"/> of interface <paramref name="ifindex"/> in the
    /// calling thread's namespace: the tcx chain in order (when the kernel has tcx), then the cls_bpf filters of a
    /// clsact qdisc in the kernel's order (by priority).
    /// </summary>
    /// <exception cref="BpfException">ENODEV: no such interface.</exception>
    public static IReadOnlyList<uint> Query(int ifindex, TcDirection direction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ifindex, 1);
        var ids = new List<uint>();
        if (Features.KernelFeatures.LinkType(LinkType.Tcx).IsSupported)
            ids.AddRange(ProgramQuery.Interface(ifindex, direction == TcDirection.Ingress ? AttachType.TcxIngress : AttachType.TcxEgress).ProgramIds);
        ids.AddRange(ClsactProgramIds(ifindex, direction));
        return ids;
    }

    private static IEnumerable<uint> ClsactProgramIds(int ifindex, TcDirection direction) =>
        TcBpfFilter.List(ifindex, direction == TcDirection.Ingress ? TcFilterParent.ClsactIngress : TcFilterParent.ClsactEgress)
            .Where(f => f.ProgramId != 0).Select(f => f.ProgramId);
}
