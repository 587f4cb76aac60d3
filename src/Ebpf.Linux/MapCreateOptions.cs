namespace Ebpf.Linux;

/// <summary>
/// What BPF_MAP_CREATE needs to create a map. A <c>MapSpec</c> from an object file translates to this one to one; it can
/// also be written by hand.
/// </summary>
public sealed record MapCreateOptions
{
    /// <summary>The map type.</summary>
    public required MapType Type { get; init; }

    /// <summary>Key size in bytes (0 for queue, stack, bloom filter, ring buffers, arena).</summary>
    public required int KeySize { get; init; }

    /// <summary>Value size in bytes (0 for ring buffers and arena).</summary>
    public required int ValueSize { get; init; }

    /// <summary>Maximum number of elements (bytes for ring buffers, pages for arena, 0 for local storage).</summary>
    public required int MaxEntries { get; init; }

    /// <summary>The name the kernel shows (at most 15 of <c>[A-Za-z0-9_.]</c>; longer names are cut).</summary>
    public string Name { get; init; } = "";

    /// <summary>Creation flags.</summary>
    public MapFlags Flags { get; init; }

    /// <summary>For array and hash of maps: a map the inner maps must look like.</summary>
    public KernelMap? InnerMap { get; init; }

    /// <summary>The NUMA node to allocate on (sets <see cref="MapFlags.NumaNode"/>).</summary>
    public int? NumaNode { get; init; }

    /// <summary><c>map_extra</c>: the number of hash functions of a bloom filter, the address hint of an arena.</summary>
    public ulong MapExtra { get; init; }

    /// <summary>A loaded BTF object that describes the key and value (required by local storage maps).</summary>
    public SafeBpfHandle? Btf { get; init; }

    /// <summary>The key's type id in <see cref="Btf"/>.</summary>
    public int BtfKeyTypeId { get; init; }

    /// <summary>The value's type id in <see cref="Btf"/>.</summary>
    public int BtfValueTypeId { get; init; }

    /// <summary>For struct_ops maps: the value's type id in vmlinux BTF.</summary>
    public int BtfVmlinuxValueTypeId { get; init; }

    /// <summary>Offload the map to the device with this ifindex (0: host).</summary>
    public int Ifindex { get; init; }
}
