using Ebpf.Asm;
using static Ebpf.Asm.Instruction;
using R = Ebpf.Asm.Register;

namespace Ebpf.Benchmarks;

/// <summary>
/// The programs the benchmarks run, with the exact number of instructions each executes, so a mean time per run
/// becomes a time per executed instruction. The same byte images feed the uBPF comparison driver
/// (<c>--dump-programs DIR</c>).
/// </summary>
public static class BenchmarkPrograms
{
    /// <summary>Loop iterations of every program.</summary>
    public const int Iterations = 10_000;

    /// <summary>Helper id of the trivial helper of the helper-call loop.</summary>
    public const int IncrementHelper = 1;

    /// <summary>ALU loop: 7 instructions per iteration, 2 before, exit after.</summary>
    public const int AluExecuted = 2 + 7 * Iterations + 1;

    /// <summary>Memory-load loop: 9 instructions per iteration, 2 before, exit after.</summary>
    public const int MemoryExecuted = 2 + 9 * Iterations + 1;

    /// <summary>Helper-call loop: 5 instructions per iteration (one a helper call), 2 before, exit after.</summary>
    public const int HelperExecuted = 2 + 5 * Iterations + 1;

    /// <summary>Arithmetic only: add, xor, mov, shift, sub and a conditional backward jump.</summary>
    public static Instruction[] AluLoop() =>
    [
        Mov(R.R0, 0),
        Mov(R.R1, Iterations),
        Alu(AluOperation.Add, R.R0, R.R1),
        Alu(AluOperation.Xor, R.R0, 0x5a),
        Mov(R.R2, R.R0),
        Alu(AluOperation.Rsh, R.R2, 3),
        Alu(AluOperation.Add, R.R0, R.R2),
        Alu(AluOperation.Sub, R.R1, 1),
        Jump(JumpOperation.Jne, R.R1, 0, -7),
        Exit(),
    ];

    /// <summary>Three loads from the memory region (r1), one store to the stack, per iteration.</summary>
    public static Instruction[] MemoryLoop() =>
    [
        Mov(R.R0, 0),
        Mov(R.R4, Iterations),
        LoadMemory(MemorySize.DoubleWord, R.R3, R.R1, 0),
        Alu(AluOperation.Add, R.R0, R.R3),
        LoadMemory(MemorySize.Word, R.R3, R.R1, 8),
        Alu(AluOperation.Add, R.R0, R.R3),
        LoadMemory(MemorySize.Byte, R.R3, R.R1, 17),
        Alu(AluOperation.Add, R.R0, R.R3),
        StoreRegister(MemorySize.DoubleWord, R.R10, -8, R.R0),
        Alu(AluOperation.Sub, R.R4, 1),
        Jump(JumpOperation.Jne, R.R4, 0, -9),
        Exit(),
    ];

    /// <summary>A helper call (r0 = r1 + 1) per iteration.</summary>
    public static Instruction[] HelperLoop() =>
    [
        Mov(R.R6, 0),
        Mov(R.R7, Iterations),
        Mov(R.R1, R.R6),
        CallHelper(IncrementHelper),
        Mov(R.R6, R.R0),
        Alu(AluOperation.Sub, R.R7, 1),
        Jump(JumpOperation.Jne, R.R7, 0, -5),
        Exit(),
    ];
}
