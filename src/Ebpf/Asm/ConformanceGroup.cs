namespace Ebpf.Asm;

/// <summary>
/// The conformance groups of RFC 9669 (section 2.4) plus <c>callx</c> as bpf_conformance defines it:
/// an engine states which groups it implements, and every instruction belongs to exactly one group.
/// </summary>
public enum ConformanceGroup : byte
{
    /// <summary>32-bit base instructions: 32-bit ALU, JMP32, byte/half/word memory, JA, call, exit.</summary>
    Base32,
    /// <summary>64-bit base instructions (includes base32): ALU64, 64-bit jumps, double-word memory, lddw.</summary>
    Base64,
    /// <summary>32-bit atomic instructions.</summary>
    Atomic32,
    /// <summary>64-bit atomic instructions (includes atomic32).</summary>
    Atomic64,
    /// <summary>32-bit multiplication, division and modulo.</summary>
    DivMul32,
    /// <summary>64-bit multiplication, division and modulo (includes divmul32).</summary>
    DivMul64,
    /// <summary>Legacy packet access (BPF_ABS, BPF_IND); historical.</summary>
    Packet,
    /// <summary>Call of a helper whose id is in a register (not in RFC 9669; bpf_conformance's group).</summary>
    Callx,
}
