namespace Ebpf.Elf;

/// <summary>A function (STT_FUNC symbol) in an executable section: a program entry point or a subprogram.</summary>
/// <param name="Name">The symbol name.</param>
/// <param name="Offset">The byte offset of its first instruction in the section.</param>
/// <param name="Size">Its size in bytes (0 when the compiler did not record one).</param>
/// <param name="Binding">Global functions are programs (in program sections) or global subprograms; local ones are static.</param>
public readonly record struct BpfFunction(string Name, ulong Offset, ulong Size, ElfSymbolBinding Binding)
{
    /// <summary>The index of its first instruction.</summary>
    public int FirstInstruction => (int)(Offset / Asm.Instruction.Size);

    /// <summary>The number of instruction slots it spans.</summary>
    public int InstructionCount => (int)(Size / Asm.Instruction.Size);
}
