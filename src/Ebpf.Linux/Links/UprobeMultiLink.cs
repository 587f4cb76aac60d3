using System.Text;
using Ebpf.Elf;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A Kprobe program (loaded with expected attach type <see cref="AttachType.TraceUprobeMulti"/>) attached to many
/// functions of one file at once (BPF_LINK_CREATE, BPF_LINK_TYPE_UPROBE_MULTI, Linux 6.6+). Older kernels throw
/// <see cref="KernelFeatureMissingException"/>. Disposing detaches it.
/// </summary>
public sealed class UprobeMultiLink : Link
{
    private UprobeMultiLink(SafeBpfHandle handle, string path, string[] symbols, bool isReturn)
        : base(handle) => (Path, Symbols, IsReturnProbe) = (path, symbols, isReturn);

    /// <summary>The probed file.</summary>
    public string Path { get; }

    /// <summary>The probed functions.</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary>True for return probes (uretprobe.multi).</summary>
    public bool IsReturnProbe { get; }

    /// <summary>Attaches <paramref name="program"/> to <paramref name="symbols"/> of <paramref name="binary"/> (a path or library name).</summary>
    /// <param name="program">A uprobe.multi program.</param>
    /// <param name="binary">The executable or library.</param>
    /// <param name="symbols">Functions it defines.</param>
    /// <param name="isReturn">True for return probes.</param>
    /// <param name="pid">Only this process triggers the probes; null: every process.</param>
    /// <exception cref="ElfSymbolNotFoundException">A function is not defined in the file.</exception>
    /// <exception cref="KernelFeatureMissingException">No uprobe_multi links on this kernel.</exception>
    public static unsafe UprobeMultiLink Attach(KernelProgram program, string binary, IReadOnlyCollection<string> symbols, bool isReturn = false, int? pid = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(symbols);
        if (symbols.Count == 0) throw new ArgumentException("no functions to probe", nameof(symbols));
        if (program.Type != ProgramType.Kprobe || program.ExpectedAttachType != AttachType.TraceUprobeMulti)
            throw new ArgumentException($"{program} was not loaded as a uprobe.multi program (Kprobe, expected attach type TraceUprobeMulti)", nameof(program));
        string path = UprobeTarget.FindBinary(binary);
        ElfBinary elf = ElfBinary.Open(path);
        string[] names = [.. symbols];
        ulong[] offsets = names.Select(n => elf.SymbolFileOffset(n)).ToArray();
        string what = $"{(isReturn ? "uretprobe" : "uprobe")}.multi on {path}: {string.Join(", ", names.Take(3))}{(names.Length > 3 ? ", ..." : "")}";
        byte[] pathBytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pp = pathBytes)
        fixed (ulong* po = offsets)
        {
            var attr = new TracingLinkCreateAttr
            {
                AttachType = (uint)AttachType.TraceUprobeMulti,
                UprobeMultiPath = Bpf.Ptr(pp),
                UprobeMultiOffsets = Bpf.Ptr(po),
                UprobeMultiCount = (uint)offsets.Length,
                UprobeMultiFlags = isReturn ? MultiProbeFlags.UprobeMultiReturn : 0,
                UprobeMultiPid = pid is int p ? (uint)p : 0,
            };
            int r;
            using (program.Handle.Lease(out attr.ProgFd))
                r = Bpf.Invoke(BpfCommand.LinkCreate, ref attr);
            if (r is -(int)Errno.EOPNOTSUPP or -(int)Errno.ENOTSUPP)
                throw new KernelFeatureMissingException("uprobe.multi (CONFIG_UPROBES)", $"attach {what}: {((Errno)(-r)).Describe()}");
            if (r == -(int)Errno.EINVAL && !Features.KernelFeatures.LinkType(LinkType.UprobeMulti).IsSupported)
                throw new KernelFeatureMissingException("BPF_LINK_TYPE_UPROBE_MULTI", $"attach {what}: {Errno.EINVAL.Describe()}", "6.6");
            return new UprobeMultiLink(BpfErrors.CheckFd(r, $"attach {program} as", what), path, names, isReturn);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{(IsReturnProbe ? "uretprobe" : "uprobe")}.multi link {Path} ({Symbols.Count} functions, {Handle})";
}
