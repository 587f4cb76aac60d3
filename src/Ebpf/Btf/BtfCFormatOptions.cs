namespace Ebpf.Btf;

/// <summary>Options of <see cref="BtfCFormatter"/>.</summary>
public sealed record BtfCFormatOptions
{
    /// <summary>The options bpftool uses: header guard <c>__VMLINUX_H__</c>.</summary>
    public static BtfCFormatOptions Default { get; } = new();

    /// <summary>
    /// The macro of the <c>#ifndef</c>/<c>#define</c> include guard; <c>__VMLINUX_H__</c> (what
    /// <c>bpftool btf dump ... format c</c> writes for any input) unless set.
    /// </summary>
    public string HeaderGuard { get; init; } = "__VMLINUX_H__";
}
