namespace Ebpf;

/// <summary>A map while the object is read: its spec and where its definition lives (libbpf's sec_idx/sec_offset).</summary>
internal sealed class MapEntry(MapSpec spec, int sectionIndex, ulong sectionOffset, ulong definitionSize)
{
    public MapSpec Spec { get; set; } = spec;
    public int SectionIndex { get; } = sectionIndex;
    public ulong SectionOffset { get; } = sectionOffset;
    /// <summary>Size of the definition in its section (the VAR's size in <c>.maps</c>).</summary>
    public ulong DefinitionSize { get; } = definitionSize;
}
