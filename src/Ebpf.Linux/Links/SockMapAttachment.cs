using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// An sk_msg or sk_skb program on a sockmap or sockhash (BPF_PROG_ATTACH with the map's fd as target; Linux 4.14+):
/// it runs for the sockets in the map — sk_msg on every sendmsg (verdict: pass, drop, redirect), sk_skb on received
/// data (stream parser, stream verdict, or the 5.13+ skb verdict). A map holds one program per attach type. Disposing
/// detaches it (BPF_PROG_DETACH); this object keeps its own fds of the map and the program for that.
/// </summary>
public sealed class SockMapAttachment : IDisposable
{
    private readonly SafeBpfHandle _map, _program;
    private bool _disposed;

    private SockMapAttachment(SafeBpfHandle map, SafeBpfHandle program, AttachType attachType) => (_map, _program, AttachType) = (map, program, attachType);

    /// <summary>SkMsgVerdict, SkSkbStreamParser, SkSkbStreamVerdict or SkSkbVerdict.</summary>
    public AttachType AttachType { get; }

    /// <summary>Attaches <paramref name="program"/> to <paramref name="map"/> (a SockMap or SockHash) for <paramref name="attachType"/>.</summary>
    /// <exception cref="ArgumentException">The map is not a sockmap/sockhash, or the attach type is not an sk_msg/sk_skb one.</exception>
    /// <exception cref="BpfException">EBUSY: a program is attached for this type already (or a stream verdict next to an skb verdict).</exception>
    public static SockMapAttachment Attach(KernelProgram program, KernelMap map, AttachType attachType)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(map);
        if (map.Type is not (MapType.SockMap or MapType.SockHash)) throw new ArgumentException($"{map} is not a sockmap or sockhash", nameof(map));
        ProgramType expected = attachType switch
        {
            AttachType.SkMsgVerdict => ProgramType.SkMsg,
            AttachType.SkSkbStreamParser or AttachType.SkSkbStreamVerdict or AttachType.SkSkbVerdict => ProgramType.SkSkb,
            _ => throw new ArgumentException($"{attachType} is not an sk_msg/sk_skb attach type", nameof(attachType)),
        };
        if (program.Type != expected) throw new ArgumentException($"{program} is not an {expected} program", nameof(program));
        var attr = new ProgAttachAttr { AttachType = (uint)attachType };
        using (var m = map.Handle.Lease(out attr.TargetFd))
        using (var p = program.Handle.Lease(out attr.AttachBpfFd))
            BpfErrors.Check(Bpf.Invoke(BpfCommand.ProgAttach, ref attr), "attach", $"{program} to {map} ({attachType})");
        return new SockMapAttachment(Duplicate(map.Handle), Duplicate(program.Handle), attachType);
    }

    /// <summary>Detaches the program and closes this object's fds.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            var attr = new ProgAttachAttr { AttachType = (uint)AttachType };
            using var m = _map.Lease(out attr.TargetFd);
            using var p = _program.Lease(out attr.AttachBpfFd);
            int r = Bpf.Invoke(BpfCommand.ProgDetach, ref attr);
            if (r != -(int)Errno.ENOENT) BpfErrors.Check(r, "detach", ToString());
        }
        finally
        {
            _program.Dispose();
            _map.Dispose();
        }
    }

    /// <summary>For messages.</summary>
    public override string ToString() => $"sockmap {AttachType} attachment";

    private static SafeBpfHandle Duplicate(SafeBpfHandle handle)
    {
        using var lease = handle.Lease(out uint fd);
        return SafeBpfHandle.FromKernel(Libc.Duplicate((int)fd));
    }
}
