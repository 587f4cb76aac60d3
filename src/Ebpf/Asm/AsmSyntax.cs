namespace Ebpf.Asm;

/// <summary>The text forms the disassembler writes.</summary>
public enum AsmSyntax
{
    /// <summary>
    /// The LLVM form <c>llvm-objdump -d</c> prints: <c>r0 = *(u32 *)(r1 + 4)</c>, <c>if r1 == 0 goto +2 &lt;LBB0_2&gt;</c>
    /// (immediates in hex with <see cref="DisassemblyOptions.HexImmediates"/>, as LLVM 15+ prints by default).
    /// </summary>
    Llvm,

    /// <summary>The assembler's own form (bpf_conformance syntax, <c>ldxw %r0, [%r1+4]</c>); it round-trips through <see cref="Assembler"/>.</summary>
    Conformance,
}
