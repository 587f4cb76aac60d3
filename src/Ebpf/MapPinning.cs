namespace Ebpf;

/// <summary>How a map is pinned in bpffs (the <c>pinning</c> attribute of a BTF map definition).</summary>
public enum MapPinning : uint
{
    /// <summary>LIBBPF_PIN_NONE: not pinned.</summary>
    None = 0,
    /// <summary>LIBBPF_PIN_BY_NAME: pinned as <c>&lt;pin root&gt;/&lt;map name&gt;</c> (the root is the loader's: libbpf uses the bpffs mount), reused when it exists.</summary>
    ByName = 1,
}
