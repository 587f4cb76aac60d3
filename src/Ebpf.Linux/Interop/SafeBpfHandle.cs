using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>
/// A file descriptor for a kernel BPF object (map, program, link, BTF, stats). Closing it drops this process's
/// reference; the kernel frees the object once nothing else (a pin, an attachment, another fd) holds it.
/// </summary>
public sealed class SafeBpfHandle : SafeHandleMinusOneIsInvalid   // not ZeroOrMinusOne: fd 0 is a valid fd to the OS
{
    private SafeBpfHandle() : base(ownsHandle: true) { }

    /// <summary>Takes ownership of an fd the kernel just returned.</summary>
    /// <remarks>The UAPI reads 0 as "no fd" in most attributes, so an fd 0 is moved above 0 first.</remarks>
    internal static SafeBpfHandle FromKernel(int fd)
    {
        var handle = new SafeBpfHandle();
        handle.SetHandle(fd == 0 ? Libc.MoveAboveZero(fd) : fd);
        return handle;
    }

    /// <summary>Wraps a duplicate of <paramref name="fd"/>; the caller keeps ownership of the original.</summary>
    /// <param name="fd">An open fd of a BPF object (from another library or an inherited descriptor).</param>
    public static SafeBpfHandle FromDuplicate(int fd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        return FromKernel(Libc.Duplicate(fd));
    }

    /// <summary>A new handle to the same kernel object (dup with close-on-exec).</summary>
    /// <exception cref="ObjectDisposedException">This handle is closed.</exception>
    public SafeBpfHandle Duplicate()
    {
        using var lease = Lease(out uint fd);
        return FromKernel(Libc.Duplicate((int)fd));
    }

    /// <summary>Keeps the handle open and yields its number for an attribute until the lease is disposed.</summary>
    /// <exception cref="ObjectDisposedException">This handle is closed.</exception>
    internal FdLease Lease(out uint fd) => new(this, out fd);

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;

    /// <summary>The fd number, for diagnostics ("-1" once closed).</summary>
    public override string ToString() => IsClosed ? "closed" : $"fd {(int)DangerousGetHandle()}";
}
