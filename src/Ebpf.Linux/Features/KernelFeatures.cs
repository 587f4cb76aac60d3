using System.Collections.Concurrent;

namespace Ebpf.Linux.Features;

/// <summary>
/// What the running kernel supports, found by probing (like <c>bpftool feature probe</c>), never by comparing version
/// numbers: distributions backport features and compile others out. Answers are cached once conclusive.
/// </summary>
public static class KernelFeatures
{
    private static readonly ConcurrentDictionary<MapType, KernelFeature> s_mapTypes = new();
    private static readonly ConcurrentDictionary<ProgramType, KernelFeature> s_programTypes = new();
    private static readonly ConcurrentDictionary<(ProgramType, int), KernelFeature> s_helpers = new();
    private static readonly ConcurrentDictionary<LinkType, KernelFeature> s_linkTypes = new();

    /// <summary>BPF_LINK_CREATE (Linux 5.7+).</summary>
    public static KernelFeature LinkCreate { get; } = new("BPF_LINK_CREATE", "5.7", Probes.LinkCreateCommand);

    /// <summary>BPF_PROG_BIND_MAP (Linux 5.8+): a loaded program can be given a map it does not reference.</summary>
    public static KernelFeature ProgBindMap { get; } = new("BPF_PROG_BIND_MAP", "5.8", Probes.ProgBindMapCommand);

    /// <summary>BTF_KIND_FLOAT in loaded BTF (Linux 5.13+).</summary>
    public static KernelFeature BtfFloat { get; } = new("BTF_KIND_FLOAT", "5.13", () => Probes.BtfKind(Ebpf.Btf.BtfKind.Float));

    /// <summary>BTF_KIND_DECL_TAG in loaded BTF (Linux 5.16+).</summary>
    public static KernelFeature BtfDeclTag { get; } = new("BTF_KIND_DECL_TAG", "5.16", () => Probes.BtfKind(Ebpf.Btf.BtfKind.DeclTag));

    /// <summary>BTF_KIND_TYPE_TAG in loaded BTF (Linux 5.17+).</summary>
    public static KernelFeature BtfTypeTag { get; } = new("BTF_KIND_TYPE_TAG", "5.17", () => Probes.BtfKind(Ebpf.Btf.BtfKind.TypeTag));

    /// <summary>BTF_KIND_ENUM64 in loaded BTF (Linux 6.0+).</summary>
    public static KernelFeature BtfEnum64 { get; } = new("BTF_KIND_ENUM64", "6.0", () => Probes.BtfKind(Ebpf.Btf.BtfKind.Enum64));

    /// <summary>mmap() of array maps created with BPF_F_MMAPABLE (Linux 5.5+).</summary>
    public static KernelFeature MmapableMaps { get; } = new("BPF_F_MMAPABLE", "5.5", Probes.MmapableArray);

    /// <summary>BPF_MAP_*_BATCH commands (Linux 5.6+).</summary>
    public static KernelFeature MapBatchOperations { get; } = new("BPF_MAP_LOOKUP_BATCH", "5.6", Probes.MapBatch);

    /// <summary>ISA v4 instructions: sign-extending loads and moves, sdiv/smod, bswap, gotol (Linux 6.6+).</summary>
    public static KernelFeature InstructionSetV4 { get; } = new("BPF ISA v4", "6.6", Probes.InstructionSetV4);

    /// <summary>Atomic instructions beyond BPF_XADD: fetch-add, and, or, xor, xchg, cmpxchg (Linux 5.12+).</summary>
    public static KernelFeature AtomicFetch { get; } = new("BPF_ATOMIC with BPF_FETCH", "5.12", Probes.AtomicFetch);

    /// <summary>ISA v2 instructions: jlt, jle, jslt, jsle (Linux 4.14+; bpftool's <c>have_v2_isa_extension</c>).</summary>
    public static KernelFeature InstructionSetV2 { get; } = new("BPF ISA v2", "4.14", Probes.InstructionSetV2);

    /// <summary>ISA v3 instructions: 32-bit jumps (Linux 5.1+; bpftool's <c>have_v3_isa_extension</c>).</summary>
    public static KernelFeature InstructionSetV3 { get; } = new("BPF ISA v3", "5.1", Probes.InstructionSetV3);

    /// <summary>
    /// Programs longer than 4096 instructions (BPF_MAXINSNS) for privileged loaders: the verifier's limit of one million
    /// processed instructions (Linux 5.2+; bpftool's <c>have_large_insn_limit</c>).
    /// </summary>
    public static KernelFeature LargeInstructionLimit { get; } = new("BPF_COMPLEXITY_LIMIT_INSNS", "5.2", Probes.LargeInstructionLimit);

    /// <summary>Bounded loops: backward jumps the verifier proves to end (Linux 5.3+; bpftool's <c>have_bounded_loops</c>).</summary>
    public static KernelFeature BoundedLoops { get; } = new("bounded loops", "5.3", Probes.BoundedLoops);

    /// <summary>Whether maps of <paramref name="type"/> can be created.</summary>
    public static KernelFeature MapType(MapType type) =>
        s_mapTypes.GetOrAdd(type, t => new KernelFeature(KernelNames.Of(t), MapSince(t), () => Probes.MapType(t)));

    /// <summary>Whether programs of <paramref name="type"/> can be loaded.</summary>
    public static KernelFeature ProgramType(ProgramType type) =>
        s_programTypes.GetOrAdd(type, t => new KernelFeature(KernelNames.Of(t), ProgramSince(t), () => Probes.ProgramType(t)));

    /// <summary>Whether programs of <paramref name="type"/> may call helper <paramref name="helperId"/> (a <c>bpf_func_id</c>).</summary>
    public static KernelFeature Helper(ProgramType type, int helperId) =>
        s_helpers.GetOrAdd((type, helperId), k => new KernelFeature(
            $"helper {Asm.HelperNames.Get(k.Item2) ?? k.Item2.ToString(System.Globalization.CultureInfo.InvariantCulture)} in {KernelNames.Of(k.Item1)}",
            null, () => ProgramType(k.Item1).Result switch
            {
                ProbeResult.Present => Probes.Helper(k.Item1, k.Item2),
                var other => other,
            }));

    /// <summary>Whether the kernel has links of <paramref name="type"/> (its BTF names BPF_LINK_TYPE_...).</summary>
    public static KernelFeature LinkType(LinkType type) =>
        s_linkTypes.GetOrAdd(type, t => new KernelFeature(KernelNames.Of(t), LinkSince(t), () => Probes.KernelKnowsName(KernelNames.Of(t))));

    private static string? MapSince(MapType t) => t switch
    {
        Ebpf.MapType.Hash or Ebpf.MapType.Array => "3.19",
        Ebpf.MapType.ProgArray => "4.2",
        Ebpf.MapType.PerfEventArray => "4.3",
        Ebpf.MapType.PerCpuHash or Ebpf.MapType.PerCpuArray or Ebpf.MapType.StackTrace => "4.6",
        Ebpf.MapType.CgroupArray => "4.8",
        Ebpf.MapType.LruHash or Ebpf.MapType.LruPerCpuHash => "4.10",
        Ebpf.MapType.LpmTrie => "4.11",
        Ebpf.MapType.ArrayOfMaps or Ebpf.MapType.HashOfMaps => "4.12",
        Ebpf.MapType.DevMap or Ebpf.MapType.SockMap => "4.14",
        Ebpf.MapType.CpuMap => "4.15",
        Ebpf.MapType.XskMap or Ebpf.MapType.SockHash => "4.18",
        Ebpf.MapType.CgroupStorage or Ebpf.MapType.ReuseportSockarray => "4.19",
        Ebpf.MapType.PerCpuCgroupStorage or Ebpf.MapType.Queue or Ebpf.MapType.Stack => "4.20",
        Ebpf.MapType.SkStorage => "5.2",
        Ebpf.MapType.DevMapHash => "5.4",
        Ebpf.MapType.StructOps => "5.6",
        Ebpf.MapType.RingBuffer => "5.8",
        Ebpf.MapType.InodeStorage => "5.10",
        Ebpf.MapType.TaskStorage => "5.11",
        Ebpf.MapType.BloomFilter => "5.16",
        Ebpf.MapType.UserRingBuffer => "6.1",
        Ebpf.MapType.CgrpStorage => "6.2",
        Ebpf.MapType.Arena => "6.9",
        _ => null,
    };

    private static string? ProgramSince(ProgramType t) => t switch
    {
        Ebpf.ProgramType.SocketFilter => "3.19",
        Ebpf.ProgramType.Kprobe or Ebpf.ProgramType.SchedClassifier or Ebpf.ProgramType.SchedAction => "4.1",
        Ebpf.ProgramType.Tracepoint => "4.7",
        Ebpf.ProgramType.Xdp => "4.8",
        Ebpf.ProgramType.PerfEvent => "4.9",
        Ebpf.ProgramType.CgroupSkb or Ebpf.ProgramType.CgroupSock or Ebpf.ProgramType.LwtIn or Ebpf.ProgramType.LwtOut or Ebpf.ProgramType.LwtXmit => "4.10",
        Ebpf.ProgramType.SockOps => "4.13",
        Ebpf.ProgramType.SkSkb => "4.14",
        Ebpf.ProgramType.CgroupDevice => "4.15",
        Ebpf.ProgramType.SkMsg or Ebpf.ProgramType.RawTracepoint or Ebpf.ProgramType.CgroupSockAddr => "4.17",
        Ebpf.ProgramType.LwtSeg6Local or Ebpf.ProgramType.LircMode2 => "4.18",
        Ebpf.ProgramType.SkReuseport => "4.19",
        Ebpf.ProgramType.FlowDissector => "4.20",
        Ebpf.ProgramType.CgroupSysctl or Ebpf.ProgramType.RawTracepointWritable => "5.2",
        Ebpf.ProgramType.CgroupSockopt => "5.3",
        Ebpf.ProgramType.Tracing => "5.5",
        Ebpf.ProgramType.StructOps or Ebpf.ProgramType.Ext => "5.6",
        Ebpf.ProgramType.Lsm => "5.7",
        Ebpf.ProgramType.SkLookup => "5.9",
        Ebpf.ProgramType.Syscall => "5.14",
        Ebpf.ProgramType.Netfilter => "6.4",
        _ => null,
    };

    private static string? LinkSince(LinkType t) => t switch
    {
        Ebpf.LinkType.RawTracepoint or Ebpf.LinkType.Tracing or Ebpf.LinkType.Cgroup => "5.7",
        Ebpf.LinkType.Iter or Ebpf.LinkType.Netns => "5.8",
        Ebpf.LinkType.Xdp => "5.9",
        Ebpf.LinkType.PerfEvent => "5.15",
        Ebpf.LinkType.KprobeMulti => "5.18",
        Ebpf.LinkType.StructOps => "6.4",
        Ebpf.LinkType.Netfilter => "6.4",
        Ebpf.LinkType.Tcx or Ebpf.LinkType.UprobeMulti => "6.6",
        Ebpf.LinkType.Netkit => "6.7",
        Ebpf.LinkType.SockMap => "6.10",
        _ => null,
    };
}
