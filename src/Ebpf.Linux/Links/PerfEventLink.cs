using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A program attached to a perf event (a tracepoint, kprobe or uprobe event) through a link (BPF_LINK_CREATE with
/// BPF_PERF_EVENT; BPF_LINK_TYPE_PERF_EVENT, Linux 5.15+). The link owns the perf event's fd as well: disposing closes
/// both, which detaches the program and removes the event.
/// </summary>
public class PerfEventLink : Link
{
    private readonly SafeBpfHandle _perfEvent;

    /// <summary>Takes ownership of a BPF link fd and the perf event fd it attaches to.</summary>
    private protected PerfEventLink(SafeBpfHandle link, SafeBpfHandle perfEvent) : base(link) => _perfEvent = perfEvent;

    /// <summary>Attaches <paramref name="program"/> to the open perf event <paramref name="perfEvent"/> (taking ownership of it).</summary>
    private protected static SafeBpfHandle Create(KernelProgram program, SafeBpfHandle perfEvent, string what)
    {
        var attr = new LinkCreateFullAttr { AttachType = (uint)AttachType.PerfEvent };
        int r;
        using (program.Handle.Lease(out attr.ProgFd))
        using (perfEvent.Lease(out attr.TargetFd))
            r = Bpf.Invoke(BpfCommand.LinkCreate, ref attr);
        if (r < 0)
        {
            perfEvent.Dispose();
            if (r == -(int)Errno.EINVAL && Features.KernelFeatures.LinkType(LinkType.PerfEvent).Result == Features.ProbeResult.Missing)
                throw new KernelFeatureMissingException("BPF_LINK_TYPE_PERF_EVENT", $"attach {program} to {what}", "5.15");
        }
        return BpfErrors.CheckFd(r, $"attach {program} to", what);
    }

    /// <summary>Opens a perf event for all processes on CPU 0; BPF programs on tracing events run on every CPU anyway.</summary>
    private protected static SafeBpfHandle OpenPerfEvent(ref PerfEvent.Attr attr, string what, Func<Errno, Exception?>? explain = null)
    {
        attr.SamplePeriod = 1;
        attr.WakeupEvents = 1;
        int fd = PerfEvent.Open(ref attr, pid: -1, cpu: 0);
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
