namespace Ebpf;

/// <summary>Where a map of a <see cref="CollectionSpec"/> comes from (libbpf's <c>enum libbpf_map_type</c> plus the definition style).</summary>
public enum MapKind
{
    /// <summary>Declared by the program: a BTF definition in <c>.maps</c>.</summary>
    Btf,
    /// <summary>Declared by the program: a <c>struct bpf_map_def</c> in the legacy <c>maps</c> section.</summary>
    Legacy,
    /// <summary>Global variables of a <c>.data</c> or <c>.data.*</c> section.</summary>
    Data,
    /// <summary>Constants of a <c>.rodata</c> or <c>.rodata.*</c> section (read-only for the program).</summary>
    ReadOnlyData,
    /// <summary>Zero-initialised globals of a <c>.bss</c> or <c>.bss.*</c> section.</summary>
    Bss,
    /// <summary>The <c>.kconfig</c> externs, filled from the kernel configuration.</summary>
    KernelConfig,
}
