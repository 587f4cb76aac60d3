namespace Ebpf.Vm;

/// <summary>
/// Host memory a program may access during one run: where it is, how long, what the program may do with it.
/// The program never sees <see cref="Pointer"/>: it sees <see cref="VmAddressSpace.RegionAddress(int)"/> of the
/// region's index, and every access it makes is translated and checked against this description.
/// </summary>
/// <remarks>
/// The memory must stay valid and unmoved while the run lasts: native memory, a pinned array, a <c>fixed</c>
/// span of the caller of <see cref="VmProgram.Run(ReadOnlySpan{VmMemoryRegion}, ulong, ulong)"/>.
/// </remarks>
public readonly unsafe struct VmMemoryRegion
{
    /// <summary>Describes <paramref name="length"/> bytes at <paramref name="pointer"/>.</summary>
    /// <param name="pointer">Start of the host memory; may be null when <paramref name="length"/> is 0.</param>
    /// <param name="length">Number of bytes the program may reach.</param>
    /// <param name="access">What the program may do with them.</param>
    /// <param name="kind">What the bytes are (fault messages name it; legacy packet loads look for packets).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="pointer"/> is null and <paramref name="length"/> is not 0.</exception>
    public VmMemoryRegion(void* pointer, int length, VmMemoryAccess access, VmMemoryRegionKind kind = VmMemoryRegionKind.Memory)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (pointer == null && length != 0) throw new ArgumentNullException(nameof(pointer), "a region with bytes needs memory");
        Pointer = pointer;
        Length = length;
        Access = access;
        Kind = kind;
    }

    /// <summary>Start of the host memory.</summary>
    public void* Pointer { get; }

    /// <summary>Number of bytes the program may reach.</summary>
    public int Length { get; }

    /// <summary>What the program may do with the bytes.</summary>
    public VmMemoryAccess Access { get; }

    /// <summary>What the bytes are.</summary>
    public VmMemoryRegionKind Kind { get; }
}
