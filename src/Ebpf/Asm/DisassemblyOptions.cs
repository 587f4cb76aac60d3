namespace Ebpf.Asm;

/// <summary>How <see cref="Disassembler"/> writes instructions.</summary>
public sealed record DisassemblyOptions
{
    /// <summary>The default: LLVM syntax with decimal immediates, as the installed llvm-objdump (LLVM 14) prints.</summary>
    public static DisassemblyOptions Default { get; } = new();

    /// <summary>The syntax.</summary>
    public AsmSyntax Syntax { get; init; } = AsmSyntax.Llvm;

    /// <summary>LLVM syntax only: immediates and offsets in hex (<c>llvm-objdump --print-imm-hex</c>, LLVM 15+'s default).</summary>
    public bool HexImmediates { get; init; }

    /// <summary>Names of labels, relocation targets and helpers, when known (from an object file).</summary>
    public DisassemblySymbols? Symbols { get; init; }

    /// <summary>
    /// Append a <c># comment</c> naming what an instruction refers to: the map or global a <c>lddw</c> is relocated
    /// against (from <see cref="Symbols"/>) and the helper a <c>call</c> invokes (from <see cref="DisassemblySymbols.Helpers"/>,
    /// or <see cref="HelperNames"/> when that is null). Off by default so the text equals llvm-objdump's.
    /// </summary>
    public bool Annotate { get; init; }
}
