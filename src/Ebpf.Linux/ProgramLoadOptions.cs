using Ebpf.Asm;

namespace Ebpf.Linux;

/// <summary>
/// What BPF_PROG_LOAD needs to load one program. A <c>ProgramSpec</c> translates to this after relocation (map fds in
/// its <c>lddw</c>s, or map handles in <see cref="FdArray"/>); it can also be written by hand.
/// </summary>
public sealed record ProgramLoadOptions
{
    /// <summary>The program type.</summary>
    public required ProgramType Type { get; init; }

    /// <summary>The instructions, with map references already resolved to fds (or to <see cref="FdArray"/> indexes).</summary>
    public required ReadOnlyMemory<Instruction> Instructions { get; init; }

    /// <summary>The license; GPL-only helpers need a GPL-compatible one.</summary>
    public string License { get; init; } = "GPL";

    /// <summary>The name the kernel shows (at most 15 of <c>[A-Za-z0-9_.]</c>; longer names are cut).</summary>
    public string Name { get; init; } = "";

    /// <summary>The attach type the program is verified for (required by some types, e.g. cgroup sock_addr, tracing).</summary>
    public AttachType? ExpectedAttachType { get; init; }

    /// <summary>The attach target's BTF type id (fentry/fexit/LSM/iter/struct_ops/freplace).</summary>
    public int AttachBtfId { get; init; }

    /// <summary>
    /// The attach target by name, for programs verified against a kernel type (<see cref="ProgramType.Tracing"/> and
    /// <see cref="ProgramType.Lsm"/>): a kernel function for fentry/fexit/fmod_ret ("do_sys_openat2"), an LSM hook
    /// ("file_open"), a BTF tracepoint for tp_btf ("sched_switch") or an iterator ("task"). When
    /// <see cref="AttachBtfId"/> is 0 the loader resolves it in vmlinux BTF (btf_trace_NAME, bpf_lsm_NAME, bpf_iter_NAME
    /// as libbpf does) from this name and <see cref="ExpectedAttachType"/>.
    /// </summary>
    public string? AttachTo { get; init; }

    /// <summary>The BTF object holding <see cref="AttachBtfId"/> (a kernel module's BTF); null: vmlinux.</summary>
    public SafeBpfHandle? AttachBtfObject { get; init; }

    /// <summary>A BPF program to attach to (freplace, fentry on a BPF program); excludes <see cref="AttachBtfObject"/>.</summary>
    public SafeBpfHandle? AttachProgram { get; init; }

    /// <summary>The program's BTF (needed with func and line info, and for some program types).</summary>
    public SafeBpfHandle? Btf { get; init; }

    /// <summary>struct bpf_func_info records (insn_off, type_id), as in .BTF.ext.</summary>
    public ReadOnlyMemory<byte> FuncInfo { get; init; }

    /// <summary>Size of one func info record (8 today).</summary>
    public int FuncInfoRecordSize { get; init; } = 8;

    /// <summary>struct bpf_line_info records (insn_off, file_name_off, line_off, line_col), as in .BTF.ext.</summary>
    public ReadOnlyMemory<byte> LineInfo { get; init; }

    /// <summary>Size of one line info record (16 today).</summary>
    public int LineInfoRecordSize { get; init; } = 16;

    /// <summary>Load flags.</summary>
    public ProgramLoadFlags Flags { get; init; }

    /// <summary>The verifier log wanted on success too (<see cref="KernelProgram.VerifierLog"/>); a rejection always comes with a log.</summary>
    public VerifierLogLevel LogLevel { get; init; }

    /// <summary>The first log buffer size; it grows until the whole log fits.</summary>
    public int InitialLogSize { get; init; } = 64 * 1024;

    /// <summary>The kernel version a kprobe program claims (ignored since Linux 5.0).</summary>
    public uint KernelVersion { get; init; }

    /// <summary>Offload to (or bind to, with <see cref="ProgramLoadFlags.XdpDeviceBoundOnly"/>) this device; 0: host.</summary>
    public int Ifindex { get; init; }

    /// <summary>Maps (and BTF objects) referenced by index from <c>lddw</c> with BPF_PSEUDO_MAP_IDX / _IDX_VALUE (Linux 5.14+).</summary>
    public IReadOnlyList<SafeBpfHandle>? FdArray { get; init; }
}
