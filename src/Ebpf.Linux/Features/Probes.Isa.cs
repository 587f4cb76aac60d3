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

    /// <summary>
    /// Atomic operations with BPF_FETCH (Linux 5.12+): <c>r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)</c>. Before them
    /// only BPF_XADD existed, and the verifier refuses any other immediate as a reserved field; clang emits these for
    /// <c>__sync_fetch_and_add</c> whose result is used.
    /// </summary>
    internal static ProbeResult AtomicFetch() => Load(Ebpf.ProgramType.SocketFilter,
    [
        Instruction.StoreImmediate(MemorySize.DoubleWord, Register.R10, -8, 0),
        Instruction.Mov(Register.R1, 1),
        new Instruction(new OpCode(0xdb), Register.R10, Register.R1, offset: -8, immediate: 0x01),   // BPF_ADD | BPF_FETCH
        Instruction.Mov(Register.R0, 0),
        Instruction.Exit(),
    ], out _);
}
