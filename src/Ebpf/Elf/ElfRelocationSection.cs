namespace Ebpf.Elf;

/// <summary>A relocation table (SHT_REL or SHT_RELA section) and the section it patches.</summary>
public sealed class ElfRelocationSection
{
    internal ElfRelocationSection(ElfSection section, ElfSection target, IReadOnlyList<ElfRelocation> entries)
    {
        Section = section;
        Target = target;
        Entries = entries;
    }

    /// <summary>The relocation section itself (<c>.relxdp</c>, <c>.rel.text</c>, ...).</summary>
    public ElfSection Section { get; }

    /// <summary>The section the entries patch (the section named by <c>sh_info</c>).</summary>
    public ElfSection Target { get; }

    /// <summary>The entries, in file order.</summary>
    public IReadOnlyList<ElfRelocation> Entries { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Section.Name} -> {Target.Name} ({Entries.Count} entries)";
}
