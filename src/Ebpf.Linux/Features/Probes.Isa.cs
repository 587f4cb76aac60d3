using Ebpf.Asm;

namespace Ebpf.Linux.Features;

internal static partial class Probes
{
    /// <summary>
    /// ISA v4 (Linux 6.6+): a sign-extending move (<c>r0 = (s8)r1</c>, BPF_ALU64|BPF_MOV|BPF_X with offset 8). Older
    /// verifiers refuse the non-zero offset of a register move as a reserved field.
    /// </summary>
    internal static ProbeResult InstructionSetV4() => Load(Ebpf.ProgramType.SocketFilter,
    [
        Instruction.Mov(Register.R1, 0),
        new Instruction(new OpCode(0xbf), Register.R0, Register.R1, offset: 8),
        Instruction.Exit(),
    ], out _);
}
