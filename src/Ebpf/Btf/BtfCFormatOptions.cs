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

    /// <summary>
    /// Whether enums whose size C would not pick by itself get <c>__attribute__((mode(byte)))</c> (1 byte) or
    /// <c>__attribute__((mode(word)))</c> (8 bytes, values that fit in 32 bits), as newer libbpf writes them.
    /// Off by default, like bpftool 7.1, whose header then lays out structs holding such enums (e.g.
    /// <c>struct inode</c>'s packed <c>enum rw_hint</c>) differently from the kernel; turn it on for a header
    /// whose layouts all match the BTF.
    /// </summary>
    public bool EnumModeAttributes { get; init; }
}
