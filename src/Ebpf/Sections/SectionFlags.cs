namespace Ebpf.Sections;

/// <summary>
/// What a <c>SEC()</c> name implies beyond the program type and expected attach type (libbpf's
/// <c>enum sec_def_flags</c>).
/// </summary>
[Flags]
public enum SectionFlags
{
    /// <summary>SEC_NONE.</summary>
    None = 0,
    /// <summary>SEC_EXP_ATTACH_OPT: the expected attach type may be dropped on kernels that do not know it.</summary>
    ExpectedAttachTypeOptional = 1,
    /// <summary>SEC_ATTACHABLE: historically attached with BPF_PROG_ATTACH (informational).</summary>
    Attachable = 2,
    /// <summary>SEC_ATTACH_BTF: the attach target is a BTF id (kernel function, tracepoint, other program), named after the '/'.</summary>
    AttachBtf = 4,
    /// <summary>SEC_SLEEPABLE: loaded with BPF_F_SLEEPABLE.</summary>
    Sleepable = 8,
    /// <summary>SEC_XDP_FRAGS: loaded with BPF_F_XDP_HAS_FRAGS (multi-buffer XDP).</summary>
    XdpFrags = 16,
    /// <summary>SEC_USDT: a USDT probe (uprobe-multi attach type where the kernel has it).</summary>
    Usdt = 32,
}
