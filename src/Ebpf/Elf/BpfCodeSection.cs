using Ebpf.Asm;

namespace Ebpf.Elf;

/// <summary>
/// An executable section of a BPF object (a program section such as <c>xdp</c> or <c>tracepoint/...</c>, or
/// <c>.text</c> with subprograms) decoded for inspection: its instructions, its functions, its labels and which
/// instruction each relocation patches. Built by <see cref="BpfObjectPrograms.Read(ElfFile)"/>.
/// </summary>
public sealed class BpfCodeSection
{
    internal BpfCodeSection(ElfSection section, Instruction[] instructions, IReadOnlyList<BpfFunction> functions,
        IReadOnlyDictionary<int, string> labels, IReadOnlyDictionary<int, ElfSymbol> relocations)
    {
        Section = section;
        Instructions = instructions;
        Functions = functions;
        Labels = labels;
        Relocations = relocations;
    }

    /// <summary>The section.</summary>
    public ElfSection Section { get; }

    /// <summary>The section name (libbpf's <c>SEC()</c> name).</summary>
    public string Name => Section.Name;

    /// <summary>The instruction slots, undecoded beyond their fields (invalid slots are kept as they are).</summary>
    public Instruction[] Instructions { get; }

    /// <summary>The STT_FUNC symbols of the section, by offset.</summary>
    public IReadOnlyList<BpfFunction> Functions { get; }

    /// <summary>
    /// Names of the symbols (functions and the compiler's local labels such as <c>LBB0_3</c>) at instruction indices;
    /// when several share an index, the function name wins.
    /// </summary>
    public IReadOnlyDictionary<int, string> Labels { get; }

    /// <summary>The symbol each relocated instruction refers to, by instruction index (maps in <c>lddw</c>, call targets).</summary>
    public IReadOnlyDictionary<int, ElfSymbol> Relocations { get; }

    /// <summary>Symbols for a disassembler: <see cref="Labels"/> and the names of relocation targets.</summary>
    /// <remarks>A relocation against a section symbol (global data in <c>.data</c>, <c>.rodata</c>) is named after the section.</remarks>
    public DisassemblySymbols ToDisassemblySymbols(ElfFile elf, IReadOnlyDictionary<int, string>? helpers = null)
    {
        ArgumentNullException.ThrowIfNull(elf);
        var symbols = new DisassemblySymbols { Helpers = helpers };
        foreach ((int index, string name) in Labels) symbols.Labels[index] = name;
        foreach ((int index, ElfSymbol symbol) in Relocations)
            symbols.Relocations[index] = symbol.Type == ElfSymbolType.Section && symbol.IsInSection
                ? elf.GetSection(symbol.SectionIndex).Name
                : symbol.Name;
        return symbols;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Instructions.Length} instructions, {Functions.Count} functions)";
}
