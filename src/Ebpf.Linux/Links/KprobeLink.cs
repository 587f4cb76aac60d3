using System.Globalization;
using System.Text;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A Kprobe program attached to the entry (kprobe) or return (kretprobe) of a kernel function through the kprobe PMU
/// (perf_event_open with the PMU type from /sys/bus/event_source/devices/kprobe/type, Linux 4.17+) and a perf event link.
/// Kernels built without CONFIG_KPROBES / CONFIG_KPROBE_EVENTS have no such PMU: attaching then throws
/// <see cref="KernelFeatureMissingException"/>.
/// </summary>
public sealed class KprobeLink : PerfEventLink
{
    private const string PmuTypePath = "/sys/bus/event_source/devices/kprobe/type";

    private KprobeLink(SafeBpfHandle link, SafeBpfHandle perfEvent, string symbol, bool isReturn)
        : base(link, perfEvent) => (Symbol, IsReturnProbe) = (symbol, isReturn);

    /// <summary>The probed kernel function.</summary>
    public string Symbol { get; }

    /// <summary>True for a kretprobe.</summary>
    public bool IsReturnProbe { get; }

    /// <summary>Attaches <paramref name="program"/> to kernel function <paramref name="symbol"/>.</summary>
    /// <param name="program">A Kprobe program.</param>
    /// <param name="symbol">The function ("do_sys_openat2").</param>
    /// <param name="isReturn">True for a kretprobe (on return), false for a kprobe (on entry).</param>
    /// <param name="offset">Byte offset into the function (kprobes only).</param>
    /// <exception cref="KernelFeatureMissingException">The kernel has no kprobes (no kprobe PMU, or the kernel refuses
    /// the event with EOPNOTSUPP/ENOENT for a kprobe PMU it lists).</exception>
    /// <exception cref="BpfException">ENOENT/EINVAL: no such function, or it cannot be probed.</exception>
    public static unsafe KprobeLink Attach(KernelProgram program, string symbol, bool isReturn = false, ulong offset = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        if (program.Type != ProgramType.Kprobe) throw new ArgumentException($"{program} is not a Kprobe program", nameof(program));
        string kind = isReturn ? "kretprobe" : "kprobe";
        string what = $"{kind} {symbol}";
        // The probe: a kernel without CONFIG_KPROBE_EVENTS registers no kprobe PMU, so the file is the answer.
        if (!File.Exists(PmuTypePath))
            throw new KernelFeatureMissingException($"{kind}s (CONFIG_KPROBES, CONFIG_KPROBE_EVENTS)",
                $"attach {program} to {what}: {PmuTypePath} does not exist, the kernel was built without kprobe events");
        uint pmuType = uint.Parse(File.ReadAllText(PmuTypePath).Trim(), CultureInfo.InvariantCulture);
        byte[] name = Encoding.UTF8.GetBytes(symbol + "\0");
        fixed (byte* p = name)
        {
            var attr = new PerfEvent.Attr
            {
                Type = pmuType,
                Config = isReturn ? PerfEvent.RetprobeConfigBit0 : 0,
                Config1 = Bpf.Ptr(p),
                Config2 = offset,
            };
            SafeBpfHandle perfEvent = OpenPerfEvent(ref attr, what, e => e is Errno.EOPNOTSUPP or Errno.ENOTSUPP
                ? new KernelFeatureMissingException($"{kind}s", $"open perf event for {what}: {e.Describe()}")
                : null);
            return new KprobeLink(Create(program, perfEvent, what), perfEvent, symbol, isReturn);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{(IsReturnProbe ? "kretprobe" : "kprobe")} link {Symbol} ({Handle})";
}
