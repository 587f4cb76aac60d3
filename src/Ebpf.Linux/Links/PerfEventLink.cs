using Ebpf.Linux.Features;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A program attached to a perf event (a tracepoint, kprobe, uprobe or sampling event). On Linux 5.15+ the attachment
/// is a link (BPF_LINK_CREATE with BPF_PERF_EVENT; BPF_LINK_TYPE_PERF_EVENT); on older kernels, chosen by probe, the
/// program is set on the event with the PERF_EVENT_IOC_SET_BPF ioctl and the event enabled (no link object exists
/// then: <see cref="IsBpfLink"/> is false and <see cref="Link.Handle"/> is the perf event's fd). Either way this object
/// owns the perf event: disposing closes it, which detaches the program and removes the event.
/// </summary>
public class PerfEventLink : Link
{
    private readonly SafeBpfHandle _perfEvent;

    /// <summary>Takes ownership of an attachment made by <see cref="Create"/> and the perf event fd it attaches to.</summary>
    private protected PerfEventLink(SafeBpfHandle link, SafeBpfHandle perfEvent) : base(link) => _perfEvent = perfEvent;

    /// <summary>
    /// True when the attachment is a BPF link (5.15+); false for the ioctl attachment of older kernels, which has no
    /// link id, no <see cref="Link.Info"/>, and cannot be pinned or updated.
    /// </summary>
    public bool IsBpfLink => !ReferenceEquals(Handle, _perfEvent);

    /// <summary>The perf event's fd.</summary>
    public SafeBpfHandle PerfEventHandle => _perfEvent;

    /// <summary>
    /// Forces the ioctl attachment on this thread even where perf links exist (tests exercise the pre-5.15 path with it).
    /// </summary>
    internal static bool ForceIoctlAttach { get => t_forceIoctl; set => t_forceIoctl = value; }

    [ThreadStatic] private static bool t_forceIoctl;

    /// <summary>
    /// Attaches <paramref name="program"/> to the open perf event <paramref name="perfEvent"/> (taking ownership of it:
    /// it is closed on failure) and returns the link fd, or the perf event itself when attached by ioctl.
    /// </summary>
    private protected static SafeBpfHandle Create(KernelProgram program, SafeBpfHandle perfEvent, string what)
    {
        try
        {
            bool useLink = !ForceIoctlAttach && KernelFeatures.LinkType(LinkType.PerfEvent).Result != ProbeResult.Missing;
            return useLink ? CreateLink(program, perfEvent, what) : AttachByIoctl(program, perfEvent, what);
        }
        catch
        {
            perfEvent.Dispose();
            throw;
        }
    }

    private static SafeBpfHandle CreateLink(KernelProgram program, SafeBpfHandle perfEvent, string what)
    {
        var attr = new LinkCreateFullAttr { AttachType = (uint)AttachType.PerfEvent };
        int r;
        using (program.Handle.Lease(out attr.ProgFd))
        using (perfEvent.Lease(out attr.TargetFd))
            r = Bpf.Invoke(BpfCommand.LinkCreate, ref attr);
        // A kernel whose BTF could not be read (probe inconclusive) and that has no perf links: EINVAL, use the ioctl.
        if (r == -(int)Errno.EINVAL && !KernelFeatures.LinkType(LinkType.PerfEvent).IsSupported)
            return AttachByIoctl(program, perfEvent, what);
        return BpfErrors.CheckFd(r, $"attach {program} to", what);
    }

    private static SafeBpfHandle AttachByIoctl(KernelProgram program, SafeBpfHandle perfEvent, string what)
    {
        using (perfEvent.Lease(out uint eventFd))
        using (program.Handle.Lease(out uint progFd))
        {
            if (Interop.PerfEvent.Ioctl((int)eventFd, Interop.PerfEvent.IocSetBpf, (nint)progFd) < 0)
                throw BpfErrors.Create(Libc.LastErrno, $"attach {program} (PERF_EVENT_IOC_SET_BPF) to", what);
            if (Interop.PerfEvent.Ioctl((int)eventFd, Interop.PerfEvent.IocEnable, 0) < 0)
                throw BpfErrors.Create(Libc.LastErrno, "enable (PERF_EVENT_IOC_ENABLE)", what);
        }
        return perfEvent;
    }

    /// <summary>
    /// Opens a perf event. Without <paramref name="pid"/> it counts all processes, on CPU 0 only as far as perf is
    /// concerned: BPF programs on tracing events run on every CPU anyway.
    /// </summary>
    private protected static SafeBpfHandle OpenPerfEvent(ref Interop.PerfEvent.Attr attr, string what, Func<Errno, Exception?>? explain = null,
        int? pid = null, int cpu = 0)
    {
        if (attr.SamplePeriod == 0) attr.SamplePeriod = 1;
        attr.WakeupEvents = 1;
        int fd = Interop.PerfEvent.Open(ref attr, pid: pid ?? -1, cpu: pid is null ? cpu : -1);
        if (fd >= 0) return SafeBpfHandle.FromKernel(fd);
        var e = (Errno)(-fd);
        throw explain?.Invoke(e) ?? BpfErrors.Create(e, "open perf event for", what);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _perfEvent.Dispose();
    }
}
