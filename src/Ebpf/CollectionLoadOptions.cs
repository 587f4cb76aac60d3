using Ebpf.Btf;

namespace Ebpf;

/// <summary>How <see cref="CollectionSpec"/> reads an object: its name, the CO-RE target and the kernel configuration.</summary>
public sealed record CollectionLoadOptions
{
    /// <summary>
    /// The object name used to name global data maps (<c>&lt;name&gt;.rodata</c>). Null: the file name up to its
    /// first '.', as libbpf does (<see cref="CollectionSpec.Load(byte[], CollectionLoadOptions?)"/> then uses "bpf_object").
    /// </summary>
    public string? ObjectName { get; init; }

    /// <summary>
    /// The kernel BTF CO-RE relocations are resolved against (parse <c>/sys/kernel/btf/vmlinux</c> for the running
    /// kernel). Null: CO-RE relocations are left unapplied and <see cref="ProgramSpec.HasPendingCoRe"/> says so.
    /// </summary>
    public BtfSpec? TargetBtf { get; init; }

    /// <summary>
    /// Kernel configuration (<c>CONFIG_X</c> → <c>y</c>/<c>m</c>/<c>n</c>, number or quoted string) for
    /// <c>__kconfig</c> externs; see <see cref="Loader.KernelConfig.Parse(TextReader)"/>. Null: only
    /// <c>LINUX_KERNEL_VERSION</c> (from <see cref="KernelVersion"/>) and weak externs resolve.
    /// </summary>
    public IReadOnlyDictionary<string, string>? KernelConfig { get; init; }

    /// <summary>Which libbpf rule sets BPF_F_MMAPABLE on global data maps (default: current libbpf's).</summary>
    public GlobalDataMmap GlobalDataMmap { get; init; } = GlobalDataMmap.WhenExposed;

    /// <summary>The value of the <c>LINUX_KERNEL_VERSION</c> extern (<c>KERNEL_VERSION(a,b,c)</c>), 0 when unknown.</summary>
    public uint KernelVersion { get; init; }
}
