namespace Ebpf.Vm.Maps;

/// <summary>How userspace maps are created.</summary>
public sealed record VmMapOptions
{
    /// <summary>The number of CPUs per-CPU maps keep a value for (the kernel's possible CPUs); the host's by default.</summary>
    public int CpuCount { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The seed of hash maps and bloom filters. The kernel draws a random one unless the map has BPF_F_ZERO_SEED; the
    /// VM uses 0 unless told otherwise, so its iteration order equals the kernel's for zero-seeded maps.
    /// </summary>
    public uint HashSeed { get; init; }

    /// <summary>The defaults.</summary>
    public static VmMapOptions Default { get; } = new();
}
