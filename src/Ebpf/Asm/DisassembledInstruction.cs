namespace Ebpf.Asm;

/// <summary>One instruction of a disassembly: where it is, its slots (two for <c>lddw</c>) and its text.</summary>
/// <param name="Index">Slot index of the instruction in the program.</param>
/// <param name="Slots">The instruction's 8-byte slots.</param>
/// <param name="Text">The instruction in the chosen syntax.</param>
public sealed record DisassembledInstruction(int Index, IReadOnlyList<Instruction> Slots, string Text);
