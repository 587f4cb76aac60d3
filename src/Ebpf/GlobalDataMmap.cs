namespace Ebpf;

/// <summary>When libbpf makes a global data map BPF_F_MMAPABLE (the rule changed in libbpf 1.1).</summary>
public enum GlobalDataMmap
{
    /// <summary>
    /// libbpf 1.1 and later: only when its DATASEC has a non-static variable (one a skeleton exposes), so
    /// <c>.rodata.str1.1</c> and other compiler-made constant pools are not mmapable.
    /// </summary>
    WhenExposed,
    /// <summary>libbpf 1.0 and the libbpf in Linux 6.1's tools (Debian 12's bpftool 7.1): every global data map, <c>.kconfig</c> included.</summary>
    Always,
}
