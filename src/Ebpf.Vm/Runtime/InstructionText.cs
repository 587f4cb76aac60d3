using Ebpf.Asm;

namespace Ebpf.Vm.Runtime;

/// <summary>The text of an instruction in fault messages: the LLVM syntax people know from llvm-objdump and bpftool.</summary>
internal static class InstructionText
{
    /// <summary>The text of slot <paramref name="pc"/> of <paramref name="program"/>.</summary>
    public static string Format(ReadOnlySpan<Instruction> program, int pc) =>
        (uint)pc < (uint)program.Length ? Disassembler.Format(program, pc) : $"pc {pc} outside the program";
}
