using System.Collections.Immutable;

namespace Ebpf;

/// <summary>
/// A map as an object file declares it: everything <c>BPF_MAP_CREATE</c> needs, plus its initial contents.
/// Pure data: the same spec creates a kernel map or a VM map.
/// </summary>
/// <remarks>
/// Built by <see cref="CollectionSpec"/> from BTF definitions in <c>.maps</c>, <c>struct bpf_map_def</c>s in the
/// legacy <c>maps</c> section, and global data sections (<c>.data</c>, <c>.rodata</c>, <c>.bss</c> and their
/// named variants), which become single-element arrays named like libbpf names them (<c>xdp_drop.rodata</c>).
/// </remarks>
public sealed record MapSpec
{
    /// <summary>The name libbpf gives the map (the kernel keeps the first 15 bytes: see <see cref="KernelName"/>).</summary>
    public required string Name { get; init; }

    /// <summary>The map type.</summary>
    public required MapType Type { get; init; }

    /// <summary>Key size in bytes.</summary>
    public uint KeySize { get; init; }

    /// <summary>Value size in bytes.</summary>
    public uint ValueSize { get; init; }

    /// <summary>Maximum number of entries (ring buffers: rounded up to a power-of-two number of pages, as libbpf does).</summary>
    public uint MaxEntries { get; init; }

    /// <summary>BPF_F_* map flags (<c>map_flags</c>), including those libbpf adds to global data maps.</summary>
    public uint Flags { get; init; }

    /// <summary>NUMA node (<c>numa_node</c>); meaningful with BPF_F_NUMA_NODE.</summary>
    public uint NumaNode { get; init; }

    /// <summary><c>map_extra</c> (bloom filter hash count, arena address, ...).</summary>
    public ulong MapExtra { get; init; }

    /// <summary>Pinning.</summary>
    public MapPinning Pinning { get; init; }

    /// <summary>BTF type id of the key in the object's BTF, 0 when the definition gave only a size.</summary>
    public uint BtfKeyTypeId { get; init; }

    /// <summary>BTF type id of the value (for global data maps, the DATASEC), 0 when not known.</summary>
    public uint BtfValueTypeId { get; init; }

    /// <summary>The inner map of a map-in-map (its name is <c>&lt;outer&gt;.inner</c>), else null.</summary>
    public MapSpec? InnerMap { get; init; }

    /// <summary>Where the definition comes from.</summary>
    public MapKind Kind { get; init; }

    /// <summary>The ELF section that defines the map (<c>.maps</c>, <c>.rodata</c>, ...).</summary>
    public string? SectionName { get; init; }

    /// <summary>
    /// The initial value of element 0 of a global data map (its section's bytes; zeros for <c>.bss</c>), else empty.
    /// </summary>
    public ImmutableArray<byte> InitialValue { get; init; } = [];

    /// <summary>Initial elements of a map-in-map or program array (the <c>values</c> member), else empty.</summary>
    public ImmutableArray<MapSlot> InitialSlots { get; init; } = [];

    /// <summary>Whether libbpf would freeze the map after filling it (<c>.rodata</c> and <c>.kconfig</c> maps).</summary>
    public bool Freeze => Kind is MapKind.ReadOnlyData or MapKind.KernelConfig;

    /// <summary>The name the kernel stores: the first 15 bytes of <see cref="Name"/> (BPF_OBJ_NAME_LEN - 1).</summary>
    public string KernelName => ObjectNames.KernelName(Name);
}
