namespace Ebpf.Vm;

/// <summary>What a memory region holds; fault messages name it and legacy packet loads look for <see cref="Packet"/>.</summary>
public enum VmMemoryRegionKind : byte
{
    /// <summary>Plain memory given by the host (the conformance convention's r1).</summary>
    Memory,
    /// <summary>The program's context (r1 on entry for typed contexts).</summary>
    Context,
    /// <summary>Packet data; <c>ldabs</c>/<c>ldind</c> read from the first region of this kind.</summary>
    Packet,
    /// <summary>A map value.</summary>
    MapValue,
    /// <summary>A buffer a helper handed to the program.</summary>
    HelperBuffer,
    /// <summary>A stack frame (512 bytes per frame).</summary>
    Stack,
}
