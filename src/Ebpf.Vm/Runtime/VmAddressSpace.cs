namespace Ebpf.Vm;

/// <summary>
/// The addresses a program sees. They are virtual: region <c>n</c> of the run's region table starts at
/// <c>n &lt;&lt; 32</c>, so translating an address is one table lookup plus a length check, an address below
/// 4 GiB (NULL and small integers) is never valid, and pointer arithmetic that leaves a region can never land
/// inside another one's bytes. Host pointers are never visible to the program.
/// </summary>
/// <remarks>
/// Table layout: slot 0 is unmapped; slots 1 to <see cref="MaxCallDepth"/> are the stack frames (a frame is
/// mapped only while it is active); host regions given to <c>Run</c> follow in order; regions that helpers map
/// during the run come last.
/// </remarks>
public static class VmAddressSpace
{
    /// <summary>How many bits of an address are the offset inside its region.</summary>
    public const int RegionShift = 32;

    /// <summary>Bytes of stack per frame, as in the kernel (MAX_BPF_STACK).</summary>
    public const int StackSize = 512;

    /// <summary>Deepest nesting of bpf-to-bpf calls, counting the entry frame (the kernel's MAX_CALL_FRAMES).</summary>
    public const int MaxCallDepth = 8;

    /// <summary>Size of a run's region table: unmapped slot, stack frames, host and helper regions.</summary>
    public const int MaxRegions = 64;

    /// <summary>Table slot of the first host region.</summary>
    internal const int FirstHostRegion = 1 + MaxCallDepth;

    /// <summary>Most host regions one run accepts (the rest of the table is left for helpers).</summary>
    public const int MaxHostRegions = 16;

    /// <summary>The address the program sees for the start of host region <paramref name="index"/> of a run.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="MaxHostRegions"/>.</exception>
    public static ulong RegionAddress(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxHostRegions);
        return SlotAddress(FirstHostRegion + index);
    }

    /// <summary>The frame pointer (r10) of the frame at call depth <paramref name="depth"/> (0: the entry function).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="depth"/> is not below <see cref="MaxCallDepth"/>.</exception>
    public static ulong FramePointer(int depth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(depth, MaxCallDepth);
        return SlotAddress(1 + depth) + StackSize;
    }

    /// <summary>Most maps one program may refer to (each takes a region slot in every run).</summary>
    public const int MaxMapsPerProgram = 32;

    // Map handles (what `lddw rX, map` loads) live in the unmapped first 4 GiB: never dereferenceable.
    private const ulong MapHandleBase = 0x4d41_0000;   // "MA"

    /// <summary>The value a program holds for map <paramref name="index"/> of its table (<c>lddw r1, map</c>).</summary>
    internal static ulong MapHandle(int index) => MapHandleBase + (ulong)index;

    // Function handles (`lddw rX, func`, BPF_PSEUDO_FUNC) likewise: the first instruction slot of the function.
    private const ulong FunctionHandleBase = 0x4655_0000_0000;   // "FU", still below 2^48 and in the unmapped slot range

    /// <summary>The value a program holds for the function starting at instruction <paramref name="slot"/>.</summary>
    internal static ulong FunctionHandle(int slot) => FunctionHandleBase + (ulong)slot;

    /// <summary>Whether <paramref name="value"/> is a function handle of a program of <paramref name="length"/> slots.</summary>
    internal static bool TryGetFunction(ulong value, int length, out int slot)
    {
        ulong s = value - FunctionHandleBase;
        slot = (int)Math.Min(s, int.MaxValue);
        return s < (ulong)length;
    }

    /// <summary>Whether <paramref name="value"/> is a map handle, and of which map.</summary>
    internal static bool TryGetMapIndex(ulong value, int mapCount, out int index)
    {
        ulong i = value - MapHandleBase;
        index = (int)Math.Min(i, int.MaxValue);
        return i < (ulong)mapCount;
    }

    /// <summary>Start address of table slot <paramref name="slot"/>.</summary>
    internal static ulong SlotAddress(int slot) => (ulong)slot << RegionShift;
}
