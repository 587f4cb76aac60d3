namespace Ebpf.Asm;

/// <summary>One parsed instruction before labels are resolved.</summary>
internal sealed class AsmStatement(Instruction first, int line)
{
    /// <summary>The instruction (its first slot for <c>lddw</c>); a jump's target field is still 0.</summary>
    public Instruction First { get; } = first;

    /// <summary>The second slot of a <c>lddw</c>.</summary>
    public Instruction Second { get; init; }

    /// <summary>Slots the statement takes: 2 for <c>lddw</c>, else 1.</summary>
    public int Slots { get; init; } = 1;

    /// <summary>Source line, for errors.</summary>
    public int Line { get; } = line;

    /// <summary>Slot index of the instruction in the program, set once all statements are parsed.</summary>
    public int Slot { get; set; }

    /// <summary>The jump or call target as written (a label, <c>+N</c>, <c>exit</c>), if the instruction has one.</summary>
    public AsmToken? Target { get; init; }

    /// <summary>Where the resolved target goes.</summary>
    public TargetField TargetField { get; init; }
}
