namespace Ebpf.Asm;

/// <summary>
/// Names a disassembler may print instead of numbers: labels of jump targets, names of helpers, of called
/// functions and of the maps a <c>lddw</c> refers to (from an object's relocations).
/// </summary>
public sealed class DisassemblySymbols
{
    /// <summary>Labels by instruction index (jump targets, function starts).</summary>
    public Dictionary<int, string> Labels { get; } = [];

    /// <summary>Names of the symbols relocations attach to instruction indices (maps in <c>lddw</c>, call targets).</summary>
    public Dictionary<int, string> Relocations { get; } = [];

    /// <summary>Helper names by helper id; when null, helper calls print their id.</summary>
    public IReadOnlyDictionary<int, string>? Helpers { get; init; }
}
