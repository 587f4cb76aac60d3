using Ebpf.Asm;

namespace Ebpf.Vm.Interpreter;

/// <summary>
/// The text of an instruction in fault messages. One method, so it can be swapped for the disassembler once
/// that exists.
/// </summary>
internal static class InstructionText
{
    /// <summary>The text of slot <paramref name="pc"/> of <paramref name="program"/>.</summary>
    public static string Format(ReadOnlySpan<Instruction> program, int pc) =>
        (uint)pc < (uint)program.Length ? program[pc].ToString() : $"pc {pc} outside the program";
}
