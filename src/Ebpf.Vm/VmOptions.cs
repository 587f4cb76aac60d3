using Ebpf.Vm.Helpers;

namespace Ebpf.Vm;

/// <summary>How <see cref="VmProgram.Load"/> prepares a program and how its runs are limited.</summary>
public sealed record VmOptions
{
    /// <summary>The default <see cref="InstructionBudget"/>: one million executed instructions.</summary>
    public const long DefaultInstructionBudget = 1_000_000;

    /// <summary>
    /// Most instructions one run may execute (a taken jump, a call and an exit count one each); the next one
    /// stops the program with <see cref="VmFaultReason.BudgetExceeded"/>. Guarantees every run terminates.
    /// </summary>
    public long InstructionBudget { get; init; } = DefaultInstructionBudget;

    /// <summary>The engine that executes the program: <see cref="VmEngine.Interpreter"/>, the default and, for now, the only one.</summary>
    public VmEngine Engine { get; init; } = VmEngine.Interpreter;

    /// <summary>The helpers the program may call; a snapshot is taken at load. Defaults to <see cref="HelperTable.CreateDefault"/>.</summary>
    public HelperTable Helpers { get; init; } = HelperTable.CreateDefault();
}
