using System.Collections.Immutable;
using Ebpf.Asm;
using Ebpf.Sections;

namespace Ebpf;

/// <summary>
/// A program as an object file defines it, linked and relocated exactly as libbpf does before <c>BPF_PROG_LOAD</c>:
/// used subprograms appended, calls and callbacks resolved, CO-RE applied, map references marked with their
/// pseudo-source (the loader fills in file descriptors: see <see cref="MapReferences"/>). Pure data.
/// </summary>
public sealed record ProgramSpec
{
    /// <summary>The function name (the kernel keeps the first 15 bytes: <see cref="KernelName"/>).</summary>
    public required string Name { get; init; }

    /// <summary>The ELF section (<c>SEC()</c> name) without libbpf's leading <c>?</c>.</summary>
    public required string SectionName { get; init; }

    /// <summary>The program type (from the section name; <see cref="ProgramType.Unspec"/> when no convention matched).</summary>
    public ProgramType Type { get; init; }

    /// <summary>The expected attach type passed at load, or null.</summary>
    public AttachType? ExpectedAttachType { get; init; }

    /// <summary>
    /// The attach target named in the section (<c>syscalls/sys_enter_openat</c>, a kernel function for
    /// kprobe/fentry, ...), or null when the section names none.
    /// </summary>
    public string? AttachTo { get; init; }

    /// <summary>The matching row of <see cref="SectionDefinitions"/>, or null.</summary>
    public SectionDefinition? Section { get; init; }

    /// <summary>BPF_F_* program flags libbpf passes at load (BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS).</summary>
    public uint Flags { get; init; }

    /// <summary>Whether the program is loaded by default (false for <c>SEC("?...")</c>).</summary>
    public bool AutoLoad { get; init; } = true;

    /// <summary>The object's license (the <c>license</c> section).</summary>
    public string License { get; init; } = "";

    /// <summary>The object's <c>version</c> section (kernel version for old kprobes), 0 when absent.</summary>
    public uint KernelVersion { get; init; }

    /// <summary>The final instructions: the program, then each subprogram it uses, as libbpf submits them.</summary>
    public required ImmutableArray<Instruction> Instructions { get; init; }

    /// <summary>The map references the loader patches with file descriptors, by instruction.</summary>
    public ImmutableArray<MapReference> MapReferences { get; init; } = [];

    /// <summary>
    /// Maps libbpf binds to the program after loading (BPF_PROG_BIND_MAP) although no instruction uses them: every
    /// <c>.rodata*</c> map, so read-only metadata lives as long as the program.
    /// </summary>
    public ImmutableArray<string> BoundMaps { get; init; } = [];

    /// <summary>Function info for the final instructions (empty without <c>.BTF.ext</c>).</summary>
    public ImmutableArray<ProgramFuncInfo> FuncInfo { get; init; } = [];

    /// <summary>Line info for the final instructions (empty without <c>.BTF.ext</c>).</summary>
    public ImmutableArray<ProgramLineInfo> LineInfo { get; init; } = [];

    /// <summary>The BTF FUNC id of the program in the object's BTF, 0 when unknown.</summary>
    public uint BtfFuncId { get; init; }

    /// <summary>The number of CO-RE relocations applied to the program and its subprograms.</summary>
    public int CoReRelocationCount { get; init; }

    /// <summary>
    /// CO-RE relocations left unapplied because the object was read without <see cref="CollectionLoadOptions.TargetBtf"/>;
    /// <see cref="CollectionSpec.ResolveKernelReferences"/> applies them (the kernel backend does so at load against
    /// the running kernel's BTF).
    /// </summary>
    public ImmutableArray<PendingCoReRelocation> PendingCoRe { get; init; } = [];

    /// <summary>Typed <c>__ksym</c> externs left unresolved for the same reason.</summary>
    public ImmutableArray<PendingKernelSymbol> PendingKernelSymbols { get; init; } = [];

    /// <summary>Whether CO-RE relocations or typed ksyms wait for a target BTF.</summary>
    public bool HasPendingCoRe => !PendingCoRe.IsEmpty || !PendingKernelSymbols.IsEmpty;

    /// <summary>The name the kernel stores: the first 15 bytes of <see cref="Name"/>.</summary>
    public string KernelName => ObjectNames.KernelName(Name);

    /// <summary>The kernel's tag of <see cref="Instructions"/> (what <c>bpftool prog show</c> prints once loaded).</summary>
    public ulong ComputeTag(ProgramTagAlgorithm algorithm = ProgramTagAlgorithm.Sha256) => ProgramTag.Compute(Instructions.AsSpan(), algorithm);
}
