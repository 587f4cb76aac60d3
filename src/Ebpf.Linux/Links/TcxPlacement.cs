namespace Ebpf.Linux.Links;

/// <summary>Where a tcx program goes in its hook's chain (BPF_F_BEFORE / BPF_F_AFTER).</summary>
public enum TcxPlacement
{
    /// <summary>At the end of the chain (no flag).</summary>
    Append,
    /// <summary>Before the relative link, or first when there is none (BPF_F_BEFORE).</summary>
    Before,
    /// <summary>After the relative link, or last when there is none (BPF_F_AFTER).</summary>
    After,
}
