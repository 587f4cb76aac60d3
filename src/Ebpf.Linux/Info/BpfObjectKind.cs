namespace Ebpf.Linux;

/// <summary>The kinds of BPF object an fd can stand for.</summary>
public enum BpfObjectKind
{
    /// <summary>A loaded program (anon inode <c>bpf-prog</c>).</summary>
    Program,
    /// <summary>A map (anon inode <c>bpf-map</c>).</summary>
    Map,
    /// <summary>A link (anon inode <c>bpf-link</c>; <c>bpf_link</c> on the first kernels with links).</summary>
    Link,
    /// <summary>A BTF object (anon inode <c>btf</c>).</summary>
    Btf,
}
