using Ebpf.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Ebpf.Linux.Links;

/// <summary>
/// A BPF iterator (Linux 5.8+): an <c>iter/NAME</c> program (Tracing, expected attach type BPF_TRACE_ITER, loaded for
/// <c>bpf_iter_NAME</c>) bound to its target by BPF_LINK_CREATE. Each <see cref="Open"/> (BPF_ITER_CREATE) starts one
/// walk over the kernel objects (tasks, maps, map elements...) whose text, written by the program with
/// bpf_seq_printf, is read as a stream. Disposing the link does not end streams already open.
/// </summary>
public sealed class IteratorLink : Link
{
    private IteratorLink(SafeBpfHandle handle, string? map) : base(handle) => MapName = map;

    /// <summary>The map a map-element iterator walks, or null.</summary>
    public string? MapName { get; }

    /// <summary>Creates the iterator link of <paramref name="program"/>.</summary>
    /// <param name="program">An iterator program (section <c>iter/task</c>, <c>iter/bpf_map</c>...).</param>
    /// <param name="map">For map-element iterators (iter/bpf_map_elem, iter/bpf_sk_storage_map): the map to walk.</param>
    /// <exception cref="ArgumentException">The program is not an iterator.</exception>
    /// <exception cref="KernelFeatureMissingException">The kernel has no BPF iterators (before 5.8).</exception>
    public static unsafe IteratorLink Attach(KernelProgram program, KernelMap? map = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type != ProgramType.Tracing || program.ExpectedAttachType != AttachType.TraceIter)
            throw new ArgumentException($"{program} is not an iterator program (Tracing with attach type TraceIter)", nameof(program));
        var info = new IterLinkInfo();
        var attr = new TracingLinkCreateAttr { AttachType = (uint)AttachType.TraceIter };
        int r;
        using (program.Handle.Lease(out attr.ProgFd))
        using (FdLease.Optional(map?.Handle, out info.MapFd))
        {
            if (map is not null)
            {
                attr.IterInfo = Bpf.Ptr(&info);
                attr.IterInfoLen = (uint)sizeof(IterLinkInfo);
            }
            r = Bpf.Invoke(BpfCommand.LinkCreate, ref attr);
        }
        if (r == -(int)Errno.EINVAL && !Features.KernelFeatures.LinkType(LinkType.Iter).IsSupported)
            throw new KernelFeatureMissingException("BPF iterators (BPF_LINK_TYPE_ITER)", $"attach {program}: {Errno.EINVAL.Describe()}", "5.8");
        return new IteratorLink(BpfErrors.CheckFd(r, "create iterator link for", program.ToString()), map?.Name);
    }

    /// <summary>Starts a walk (BPF_ITER_CREATE) and returns its output as a read-only, forward-only stream.</summary>
    /// <exception cref="BpfException">The kernel refused to start the iterator.</exception>
    public Stream Open()
    {
        var attr = new IterCreateAttr();
        int fd;
        using (Handle.Lease(out attr.LinkFd))
            fd = Bpf.Invoke(BpfCommand.IterCreate, ref attr);
        BpfErrors.Check(fd, "start iterator", ToString());
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, bufferSize: 0);
    }

    /// <summary>Runs the iterator once and returns its whole output as text.</summary>
    public string ReadAllText()
    {
        using Stream stream = Open();
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <inheritdoc/>
    public override string ToString() => $"iterator link{(MapName is null ? "" : $" over map '{MapName}'")} ({Handle})";
}
