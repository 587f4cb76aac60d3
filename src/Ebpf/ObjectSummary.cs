using System.Collections.Immutable;

namespace Ebpf;

/// <summary>
/// What <c>ebpf object show</c> prints about an object: one line per program and per map, plain data ready for a
/// table or JSON.
/// </summary>
/// <param name="ObjectName">The object name.</param>
/// <param name="License">The license string.</param>
/// <param name="Programs">The entry-point programs.</param>
/// <param name="Maps">The maps, global data maps included.</param>
public sealed record ObjectSummary(string ObjectName, string License, ImmutableArray<ProgramSummary> Programs, ImmutableArray<MapSummary> Maps)
{
    /// <summary>Summarises <paramref name="spec"/>; tags use <paramref name="algorithm"/> (SHA-256 on current kernels).</summary>
    public static ObjectSummary From(CollectionSpec spec, ProgramTagAlgorithm algorithm = ProgramTagAlgorithm.Sha256)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ObjectSummary(spec.ObjectName, spec.License,
            [.. spec.Programs.Select(p => new ProgramSummary(p.Name, p.SectionName, p.Type, p.ExpectedAttachType, p.AttachTo,
                p.Instructions.Length, ProgramTag.Format(p.ComputeTag(algorithm)), [.. p.MapReferences.Select(r => r.Map).Distinct()]))],
            [.. spec.Maps.Select(m => new MapSummary(m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries, m.Flags, m.Pinning, m.Kind))]);
    }
}

/// <summary>One program of an <see cref="ObjectSummary"/>.</summary>
/// <param name="Name">Function name.</param>
/// <param name="Section">ELF section (<c>SEC()</c> name).</param>
/// <param name="Type">Program type.</param>
/// <param name="AttachType">Expected attach type, or null.</param>
/// <param name="AttachTo">Attach target named by the section, or null.</param>
/// <param name="InstructionCount">Instruction slots after linking (what the kernel receives).</param>
/// <param name="Tag">The kernel's tag of those instructions, 16 hex digits as bpftool prints it.</param>
/// <param name="Maps">Names of the maps its instructions refer to.</param>
public sealed record ProgramSummary(string Name, string Section, ProgramType Type, AttachType? AttachType, string? AttachTo,
    int InstructionCount, string Tag, ImmutableArray<string> Maps);

/// <summary>One map of an <see cref="ObjectSummary"/>.</summary>
/// <param name="Name">Map name (the kernel keeps 15 bytes of it).</param>
/// <param name="Type">Map type.</param>
/// <param name="KeySize">Key size in bytes.</param>
/// <param name="ValueSize">Value size in bytes.</param>
/// <param name="MaxEntries">Maximum entries.</param>
/// <param name="Flags">BPF_F_* map flags.</param>
/// <param name="Pinning">Pinning.</param>
/// <param name="Kind">BTF, legacy, or which global data section.</param>
public sealed record MapSummary(string Name, MapType Type, uint KeySize, uint ValueSize, uint MaxEntries, uint Flags, MapPinning Pinning, MapKind Kind);
