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

    /// <summary>
    /// The maps the program refers to: <c>lddw rX, map</c> with immediate <c>i</c> (pseudo-source 1) is map <c>i</c>
    /// here, and pseudo-source 2 points into its value. <see cref="VmCollection"/> fills this from the object.
    /// </summary>
    public IReadOnlyList<Maps.VmMap> Maps { get; init; } = [];

    /// <summary>
    /// The program's type, which decides its context: <see cref="ProgramType.Xdp"/> programs get an <c>xdp_md</c>
    /// whose pointer fields read as packet addresses (the kernel's context rewriting); others see their context as
    /// plain memory.
    /// </summary>
    public ProgramType ProgramType { get; init; }

    /// <summary>The CPU runs are on, as <c>bpf_get_smp_processor_id</c> and per-CPU map values see it.</summary>
    public int Cpu { get; init; }
}
