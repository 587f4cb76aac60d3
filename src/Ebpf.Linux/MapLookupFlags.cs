namespace Ebpf.Linux;

/// <summary>Flags of element lookups (BPF_MAP_LOOKUP_ELEM and the batch commands' <c>elem_flags</c>).</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the kernel's own word for this field
public enum MapLookupFlags : ulong
#pragma warning restore CA1711
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>BPF_F_LOCK: copy the value under its <c>bpf_spin_lock</c>.</summary>
    Lock = 4,
}
