using System.Runtime.InteropServices;
using System.Text;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A Kprobe program (loaded with expected attach type <see cref="AttachType.TraceKprobeMulti"/>) attached to many
/// kernel functions at once through fprobe (BPF_LINK_CREATE, BPF_LINK_TYPE_KPROBE_MULTI, Linux 5.18+). Kernels without
/// the link type, or built without CONFIG_FPROBE / kprobes, throw <see cref="KernelFeatureMissingException"/>.
/// Disposing detaches it.
/// </summary>
public sealed class KprobeMultiLink : Link
{
    private KprobeMultiLink(SafeBpfHandle handle, string[] symbols, bool isReturn) : base(handle) => (Symbols, IsReturnProbe) = (symbols, isReturn);

    /// <summary>The probed functions.</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary>True for return probes (kretprobe.multi).</summary>
    public bool IsReturnProbe { get; }

    /// <summary>Attaches <paramref name="program"/> to every function in <paramref name="symbols"/>.</summary>
    /// <exception cref="KernelFeatureMissingException">No kprobe_multi links on this kernel.</exception>
    /// <exception cref="BpfException">ESRCH/ENOENT: a function does not exist or cannot be probed.</exception>
    public static unsafe KprobeMultiLink Attach(KernelProgram program, IReadOnlyCollection<string> symbols, bool isReturn = false)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(symbols);
        if (symbols.Count == 0) throw new ArgumentException("no functions to probe", nameof(symbols));
        if (program.Type != ProgramType.Kprobe || program.ExpectedAttachType != AttachType.TraceKprobeMulti)
            throw new ArgumentException($"{program} was not loaded as a kprobe.multi program (Kprobe, expected attach type TraceKprobeMulti)", nameof(program));
        string[] names = [.. symbols];
        string what = $"{(isReturn ? "kretprobe" : "kprobe")}.multi on {names.Length} function(s) ({string.Join(", ", names.Take(3))}{(names.Length > 3 ? ", ..." : "")})";
        var pinned = new GCHandle[names.Length];
        ulong[] pointers = new ulong[names.Length];
        try
        {
            for (int i = 0; i < names.Length; i++)
            {
                pinned[i] = GCHandle.Alloc(Encoding.ASCII.GetBytes(names[i] + "\0"), GCHandleType.Pinned);
                pointers[i] = (ulong)pinned[i].AddrOfPinnedObject();
            }
            fixed (ulong* p = pointers)
            {
                var attr = new TracingLinkCreateAttr
                {
                    AttachType = (uint)AttachType.TraceKprobeMulti,
                    KprobeMultiFlags = isReturn ? MultiProbeFlags.KprobeMultiReturn : 0,
                    KprobeMultiCount = (uint)names.Length,
                    KprobeMultiSymbols = Bpf.Ptr(p),
                };
                int r;
                using (program.Handle.Lease(out attr.ProgFd))
                    r = Bpf.Invoke(BpfCommand.LinkCreate, ref attr);
                if (r < 0) ThrowIfMissing((Errno)(-r), what);
                return new KprobeMultiLink(BpfErrors.CheckFd(r, $"attach {program} as", what), names, isReturn);
            }
        }
        finally
        {
            foreach (GCHandle h in pinned) if (h.IsAllocated) h.Free();
        }
    }

    private static void ThrowIfMissing(Errno e, string what)
    {
        if (e is Errno.EOPNOTSUPP or Errno.ENOTSUPP)
            throw new KernelFeatureMissingException("kprobe.multi (CONFIG_FPROBE, CONFIG_KPROBES)", $"attach {what}: {e.Describe()}: the kernel was built without fprobe");
        if (e == Errno.EINVAL && !Features.KernelFeatures.LinkType(LinkType.KprobeMulti).IsSupported)
            throw new KernelFeatureMissingException("BPF_LINK_TYPE_KPROBE_MULTI", $"attach {what}: {e.Describe()}", "5.18");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{(IsReturnProbe ? "kretprobe" : "kprobe")}.multi link ({Symbols.Count} functions, {Handle})";
}
