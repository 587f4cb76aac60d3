using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

/// <summary>
/// Holds a reference on a handle while its fd number sits in an attribute: the fd cannot be closed (and reused by
/// another thread) between reading the number and the end of the system call.
/// </summary>
internal readonly ref struct FdLease
{
    private readonly SafeHandle? _owner;

    /// <summary>Adds a reference to <paramref name="owner"/>; throws ObjectDisposedException once it is closed.</summary>
    internal FdLease(SafeHandle owner, out uint fd)
    {
        bool added = false;
        owner.DangerousAddRef(ref added);
        _owner = owner;
        fd = (uint)(int)owner.DangerousGetHandle();
    }

    /// <summary>A lease on an optional handle: fd 0 ("none" to the UAPI) when <paramref name="owner"/> is null.</summary>
    internal static FdLease Optional(SafeHandle? owner, out uint fd)
    {
        if (owner is null) { fd = 0; return default; }
        return new FdLease(owner, out fd);
    }

    /// <summary>Releases the reference.</summary>
    public void Dispose() => _owner?.DangerousRelease();
}
