namespace Ebpf;

/// <summary>How an update treats an existing element (the kernel's BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK).</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the kernel's own word for this argument
public enum MapUpdateFlags : ulong
#pragma warning restore CA1711
{
    /// <summary>BPF_ANY: create the element or replace it.</summary>
    Any = 0,
    /// <summary>BPF_NOEXIST: create only; fails when the key exists.</summary>
    NoExist = 1,
    /// <summary>BPF_EXIST: replace only; fails when the key is absent.</summary>
    Exist = 2,
    /// <summary>BPF_F_LOCK: update the value under its <c>bpf_spin_lock</c> (combinable with the others).</summary>
    Lock = 4,
}
