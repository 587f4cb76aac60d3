using System.Runtime.InteropServices;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>
/// An array map's values mapped into this process (mmap of a map created with <see cref="MapFlags.Mmapable"/>): reads
/// and writes go straight to the kernel's memory, without system calls. Element i starts at i x (value size rounded up
/// to 8). Spans taken from it must not be used after <c>Dispose</c>.
/// </summary>
public sealed unsafe class MappedMapMemory : SafeHandle
{
    private readonly nuint _length;

    private MappedMapMemory(nint address, nuint length, bool writable) : base(Libc.MapFailed, ownsHandle: true)
    {
        SetHandle(address);
        _length = length;
        IsWritable = writable;
    }

    internal static MappedMapMemory Map(SafeBpfHandle map, long length, bool writable, string subject)
    {
        using var lease = map.Lease(out uint fd);
        int protection = Libc.ProtRead | (writable ? Libc.ProtWrite : 0);
        nint address = Libc.Mmap(0, (nuint)length, protection, Libc.MapShared, (int)fd, 0);
        if (address == Libc.MapFailed) throw BpfErrors.Create(Libc.LastErrno, writable ? "mmap (read-write) map" : "mmap (read-only) map", subject);
        return new MappedMapMemory(address, (nuint)length, writable);
    }

    /// <summary>True when the mapping can be written (a frozen map can only be mapped read-only).</summary>
    public bool IsWritable { get; }

    /// <summary>The mapped length in bytes (whole pages).</summary>
    public long Length => (long)_length;

    /// <inheritdoc/>
    public override bool IsInvalid => handle == Libc.MapFailed;

    /// <summary>The mapped bytes.</summary>
    /// <exception cref="ObjectDisposedException">The memory was unmapped.</exception>
    /// <exception cref="InvalidOperationException">The mapping is read-only (use <see cref="ReadOnlySpan"/>).</exception>
    public Span<byte> Span
    {
        get
        {
            if (!IsWritable) throw new InvalidOperationException("the map is mapped read-only");
            return new Span<byte>(Address, checked((int)_length));
        }
    }

    /// <summary>The mapped bytes, read-only.</summary>
    public ReadOnlySpan<byte> ReadOnlySpan => new(Address, checked((int)_length));

    /// <summary>A reference to the <typeparamref name="T"/> at <paramref name="offset"/> bytes (a global variable, an element).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The struct does not fit there.</exception>
    public ref T Get<T>(long offset) where T : unmanaged
    {
        if (offset < 0 || offset + sizeof(T) > (long)_length) throw new ArgumentOutOfRangeException(nameof(offset));
        if (!IsWritable) throw new InvalidOperationException("the map is mapped read-only");
        return ref *(T*)((byte*)Address + offset);
    }

    private void* Address
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return (void*)handle;
        }
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Libc.Munmap(handle, _length) == 0;
}
