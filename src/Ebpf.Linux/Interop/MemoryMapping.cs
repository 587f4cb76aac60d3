using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

/// <summary>A shared mmap of an fd at an offset, unmapped exactly once (after the last DangerousRelease).</summary>
internal sealed class MemoryMapping : SafeHandle
{
    private readonly nuint _length;
    private SafeHandle? _dependent;

    private MemoryMapping(nint address, nuint length) : base(Libc.MapFailed, ownsHandle: true)
    {
        SetHandle(address);
        _length = length;
    }

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="fd"/> at <paramref name="offset"/> (shared).</summary>
    internal static MemoryMapping Map(SafeHandle fd, long offset, long length, bool writable, string subject)
    {
        bool added = false;
        fd.DangerousAddRef(ref added);
        try
        {
            int protection = Libc.ProtRead | (writable ? Libc.ProtWrite : 0);
            nint address = Libc.Mmap(0, (nuint)length, protection, Libc.MapShared, (int)fd.DangerousGetHandle(), offset);
            if (address == Libc.MapFailed)
                throw BpfErrors.Create(Libc.LastErrno, writable ? "mmap (read-write)" : "mmap (read-only)", $"{subject} ({length} bytes at offset {offset})");
            return new MemoryMapping(address, (nuint)length);
        }
        finally
        {
            fd.DangerousRelease();
        }
    }

    /// <summary>The start of the mapping (valid while a reference is held).</summary>
    internal unsafe byte* Address => (byte*)handle;

    /// <inheritdoc/>
    public override bool IsInvalid => handle == Libc.MapFailed;

    /// <summary>
    /// Keeps <paramref name="dependent"/> alive (unreleased) until this mapping is unmapped, so holding a reference
    /// to this mapping alone protects both: one AddRef per access instead of two.
    /// </summary>
    internal void Hold(SafeHandle dependent)
    {
        bool added = false;
        dependent.DangerousAddRef(ref added);
        _dependent = dependent;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        bool unmapped = Libc.Munmap(handle, _length) == 0;
        _dependent?.DangerousRelease();
        return unmapped;
    }
}
