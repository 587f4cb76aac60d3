using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A BPF link (Linux 5.7+): a kernel object that keeps a program attached to a hook for as long as something holds it.
/// This object owns one fd of the link. Disposing closes that fd, which detaches the program unless the link is
/// pinned (or another fd of it is open); <see cref="Detach"/> detaches even then.
/// </summary>
public class Link : IDisposable
{
    /// <summary>Takes ownership of <paramref name="handle"/>, an fd of a link.</summary>
    protected internal Link(SafeBpfHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Handle = handle;
    }

    /// <summary>The link's fd.</summary>
    public SafeBpfHandle Handle { get; }

    /// <summary>Reads the link's info (type, id, program id and the per-type fields).</summary>
    /// <exception cref="ObjectDisposedException">The link is disposed.</exception>
    public LinkInfo Info() => LinkInfo.Get(Handle);

    /// <summary>
    /// Atomically replaces the attached program with <paramref name="program"/> (BPF_LINK_UPDATE, Linux 5.7+): every
    /// event runs either the old or the new program, none runs neither.
    /// </summary>
    /// <param name="program">The new program; it must suit the hook (same type and attach type).</param>
    /// <param name="expected">When given, the update only happens while this program is attached (BPF_F_REPLACE).</param>
    /// <exception cref="BpfException">EPERM when <paramref name="expected"/> is not attached; EINVAL for a program of
    /// the wrong type; EOPNOTSUPP (as <see cref="KernelFeatureMissingException"/>) for link types that cannot update.</exception>
    public void Update(KernelProgram program, KernelProgram? expected = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        var attr = new LinkUpdateAttr { Flags = expected is null ? 0 : BpfAttachFlags.Replace };
        using var link = Handle.Lease(out attr.LinkFd);
        using var prog = program.Handle.Lease(out attr.NewProgFd);
        using var old = FdLease.Optional(expected?.Handle, out attr.OldProgFd);
        int r = Bpf.Invoke(BpfCommand.LinkUpdate, ref attr);
        // EPERM here is not a capability problem: with BPF_F_REPLACE it means "a different program is attached".
        if (r == -(int)Errno.EPERM && expected is not null)
            throw new BpfException($"update {this} to {program}: {expected} is not the attached program", Errno.EPERM);
        BpfErrors.Check(r, $"update {this} to", program.ToString());
    }

    /// <summary>
    /// Detaches the program now (BPF_LINK_DETACH, Linux 5.9+), even when the link is pinned or other fds hold it; the
    /// link object stays, defunct, until its last fd and pin are gone.
    /// </summary>
    /// <exception cref="KernelFeatureMissingException">The link type cannot be detached this way.</exception>
    public void Detach()
    {
        var attr = new LinkDetachAttr();
        using var link = Handle.Lease(out attr.LinkFd);
        BpfErrors.Check(Bpf.Invoke(BpfCommand.LinkDetach, ref attr), "detach", ToString());
    }

    /// <summary>Pins the link at <paramref name="path"/> on bpffs: the program stays attached after this process exits.</summary>
    /// <exception cref="BpfException">EEXIST: the path is taken; ENOENT: the directory is missing; EPERM: not on bpffs.</exception>
    public void Pin(string path) => BpfFs.Pin(Handle, path, ToString());

    /// <summary>Removes the pin at <paramref name="path"/>; the program is detached once no fd holds the link either.</summary>
    /// <returns>False when nothing was pinned there.</returns>
    public static bool Unpin(string path) => BpfFs.Unpin(path);

    /// <summary>Opens (re-adopts) the link pinned at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">Nothing is pinned there.</exception>
    /// <exception cref="BpfException">The pinned object is not a link.</exception>
    public static Link OpenPinned(string path) => Adopt(BpfFs.Open(path, PinAccess.ReadWrite), path);

    /// <summary>Opens the link with kernel id <paramref name="id"/>.</summary>
    /// <exception cref="BpfException">ENOENT: no such link.</exception>
    public static Link OpenById(uint id) => Adopt(KernelObjects.OpenLinkById(id), $"id {id}");

    /// <summary>The info of every link in the kernel (links that vanish while listing are left out).</summary>
    public static IEnumerable<LinkInfo> List()
    {
        foreach (uint id in KernelObjects.LinkIds())
        {
            SafeBpfHandle handle;
            try { handle = KernelObjects.OpenLinkById(id); }
            catch (BpfException e) when (e.Errno == Errno.ENOENT) { continue; }
            using (handle) yield return LinkInfo.Get(handle);
        }
    }

    /// <summary>Closes this process's fd: the program is detached unless the link is pinned or held elsewhere.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the fd; derived links release what they own besides it.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) Handle.Dispose();
    }

    /// <summary>The link's kind and fd, for messages.</summary>
    public override string ToString() => $"{GetType().Name} ({Handle})";

    private static Link Adopt(SafeBpfHandle handle, string where)
    {
        try
        {
            _ = LinkInfo.Get(handle);   // EINVAL when the object is a program or map, not a link
            return new Link(handle);
        }
        catch (BpfException e)
        {
            handle.Dispose();
            throw new BpfException($"open link at {where}: not a link ({e.Message})", e.Errno);
        }
    }
}
