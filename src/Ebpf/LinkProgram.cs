using Ebpf.Asm;
using Ebpf.Elf;

namespace Ebpf;

/// <summary>
/// A function of an executable section while the object is being linked (libbpf's <c>struct bpf_program</c>):
/// an entry point or a <c>.text</c> subprogram, its own copy of its instructions and its relocations.
/// </summary>
internal sealed class LinkProgram(string name, ElfSection section, string sectionName, bool autoLoad, int sectionInstructionOffset,
    Instruction[] instructions)
{
    public string Name { get; } = name;
    public ElfSection Section { get; } = section;
    /// <summary>The section name without a leading '?'.</summary>
    public string SectionName { get; } = sectionName;
    public bool AutoLoad { get; } = autoLoad;
    /// <summary>Index of the first instruction in the section.</summary>
    public int SectionInstructionOffset { get; } = sectionInstructionOffset;
    /// <summary>Number of instructions of the function itself.</summary>
    public int SectionInstructionCount => Instructions.Length;
    /// <summary>The function's own instructions (CO-RE patches them in place; they stay otherwise untouched).</summary>
    public Instruction[] Instructions { get; } = instructions;
    /// <summary>Relocations by instruction index relative to the function, sorted after collection.</summary>
    public List<Relocation> Relocations { get; } = [];
    public bool IsSubprogram { get; set; }
    /// <summary>Where the subprogram sits in the main program being linked (0: not appended yet), libbpf's sub_insn_off.</summary>
    public int SubInstructionOffset { get; set; }
    public int CoReCount { get; set; }
    /// <summary>CO-RE records left for load time (no target BTF), by instruction index relative to the function.</summary>
    public List<PendingCoReRelocation> PendingCoRe { get; } = [];

    public bool Contains(int sectionInstruction) =>
        sectionInstruction >= SectionInstructionOffset && sectionInstruction < SectionInstructionOffset + SectionInstructionCount;
}

/// <summary>The kinds of code relocation, in libbpf's order (relocations at one instruction sort by it).</summary>
internal enum RelocationKind
{
    Map,
    Call,
    Data,
    ExternVariable,
    ExternFunction,
    SubprogramAddress,
    CoRe,
}

/// <summary>One code relocation (libbpf's <c>struct reloc_desc</c>).</summary>
/// <param name="Kind">What is patched.</param>
/// <param name="Instruction">Instruction index, relative to the owning function (or, once appended, the main program).</param>
/// <param name="MapIndex">For maps and data: the index in the collection's maps.</param>
/// <param name="SymbolOffset">For calls and data: the symbol's st_value; for externs, the extern index.</param>
/// <param name="Symbol">The symbol name, for messages.</param>
internal readonly record struct Relocation(RelocationKind Kind, int Instruction, int MapIndex, long SymbolOffset, string Symbol)
{
    public Relocation Shifted(int by) => this with { Instruction = Instruction + by };
}
