using Ebpf.Asm;

namespace Ebpf.Elf;

/// <summary>Lists the executable sections of a BPF object with their functions, labels and relocations.</summary>
public static class BpfObjectPrograms
{
    /// <summary>Every SHF_EXECINSTR section of <paramref name="elf"/> that holds code, in section order.</summary>
    /// <exception cref="ElfFormatException">
    /// A section's size is not a whole number of instructions, or a function or relocation lies outside it or
    /// between instruction slots.
    /// </exception>
    public static IReadOnlyList<BpfCodeSection> Read(ElfFile elf)
    {
        ArgumentNullException.ThrowIfNull(elf);
        var result = new List<BpfCodeSection>();
        foreach (ElfSection section in elf.Sections)
        {
            if (!section.IsExecutable || section.Type != ElfSectionType.ProgBits) continue;
            result.Add(ReadSection(elf, section));
        }
        return result;
    }

    private static BpfCodeSection ReadSection(ElfFile elf, ElfSection section)
    {
        if (section.Size % Instruction.Size != 0)
            throw new ElfFormatException($"code size {section.Size} is not a multiple of {Instruction.Size}", section.Name, (long)section.Offset, "sh_size");
        Instruction[] instructions = InstructionStream.DecodeUnchecked(section.Data.Span);

        var functions = new List<BpfFunction>();
        var labels = new Dictionary<int, string>();
        foreach (ElfSymbol symbol in elf.Symbols)
        {
            if (symbol.SectionIndex != section.Index || symbol.Type is not (ElfSymbolType.Function or ElfSymbolType.NoType) || symbol.Name.Length == 0)
                continue;
            int index = SlotOf(symbol.Value, section, $"symbol '{symbol.Name}'", "st_value", allowEnd: symbol.Type == ElfSymbolType.NoType);
            if (symbol.Type == ElfSymbolType.Function)
            {
                if (symbol.Size > section.Size - symbol.Value || symbol.Size % Instruction.Size != 0)
                    throw new ElfFormatException($"function '{symbol.Name}' at 0x{symbol.Value:x} of {symbol.Size} bytes does not fit the {section.Size}-byte section in whole instructions",
                        section.Name, (long)symbol.Value, "st_size");
                functions.Add(new BpfFunction(symbol.Name, symbol.Value, symbol.Size, symbol.Binding));
                labels[index] = symbol.Name;
            }
            else
            {
                labels.TryAdd(index, symbol.Name);
            }
        }
        functions.Sort((a, b) => a.Offset.CompareTo(b.Offset));

        var relocations = new Dictionary<int, ElfSymbol>();
        ElfRelocationSection? table = elf.RelocationsFor(section);
        if (table is not null)
            foreach (ElfRelocation rel in table.Entries)
                relocations[SlotOf(rel.Offset, section, "relocation", "r_offset", allowEnd: false)] = elf.GetSymbol(rel.SymbolIndex);

        return new BpfCodeSection(section, instructions, functions, labels, relocations);
    }

    private static int SlotOf(ulong offset, ElfSection section, string what, string field, bool allowEnd)
    {
        if (offset % Instruction.Size != 0 || offset > section.Size || (!allowEnd && offset == section.Size))
            throw new ElfFormatException($"{what} at 0x{offset:x} is not at an instruction of the {section.Size}-byte section", section.Name, (long)offset, field);
        return (int)(offset / Instruction.Size);
    }
}
