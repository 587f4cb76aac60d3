using System.Runtime.InteropServices;

namespace Ebpf.Vm.Maps;

/// <summary>
/// Zeroed native memory that never moves: map storage whose addresses programs keep between helper calls (a map
/// value pointer stays valid for the whole run, as in the kernel). Freed once, on dispose.
/// </summary>
internal sealed unsafe class NativeBlock : IDisposable
{
    private byte* _pointer;

    public NativeBlock(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        // 64-byte alignment: values are 8-aligned as the kernel aligns them, and atomics never straddle a cache line.
        _pointer = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1), 64);
        NativeMemory.Clear(_pointer, (nuint)Math.Max(length, 1));
    }

    /// <summary>Bytes in the block.</summary>
    public long Length { get; }

    /// <summary>The first byte.</summary>
    public byte* Pointer => _pointer != null ? _pointer : throw new ObjectDisposedException(nameof(NativeBlock));

    /// <summary><paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    public Span<byte> Slice(long offset, int length) => new(Pointer + offset, length);

    public void Dispose()
    {
        byte* p = _pointer;
        _pointer = null;
        if (p != null) NativeMemory.AlignedFree(p);
    }
}
