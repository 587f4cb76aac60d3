using System.Runtime.InteropServices;

namespace Ebpf.Vm.Engines.Interpreter;

/// <summary>
/// An instruction as the dispatch loop wants it, prepared once at load: fields unpacked, immediates sign-extended
/// (the full 64-bit value for <c>lddw</c>), jump and call targets absolute. One per slot, so a slot index is a pc.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DecodedInstruction
{
    /// <summary>The opcode byte (the dispatch key).</summary>
    public byte OpCode;

    /// <summary>Destination register number.</summary>
    public byte Dst;

    /// <summary>Source register number.</summary>
    public byte Src;

    /// <summary>
    /// What the offset selects for opcodes it changes: 1 for signed div/mod, 8/16/32 for <c>movsx</c>,
    /// 1 for a local call; the width 16/32/64 for byte swaps.
    /// </summary>
    public byte Variant;

    /// <summary>Memory displacement for loads and stores; absolute target slot for jumps and local calls; helper id for calls.</summary>
    public int Target;

    /// <summary>The immediate, sign-extended to 64 bits; the whole value for <c>lddw</c>; the operation for atomics.</summary>
    public long Immediate;
}
