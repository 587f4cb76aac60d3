using System.Globalization;
using System.Text;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A Kprobe program attached to an instruction of a user-space file (uprobe) or to the return of a function in it
/// (uretprobe), through the uprobe PMU (perf_event_open with the type from /sys/bus/event_source/devices/uprobe/type,
/// Linux 4.17+) and a perf event link (5.15+) or, on older kernels, PERF_EVENT_IOC_SET_BPF. Disposing detaches it.
/// </summary>
public sealed class UprobeLink : PerfEventLink
{
    private const string PmuDirectory = "/sys/bus/event_source/devices/uprobe";

    private UprobeLink(SafeBpfHandle link, SafeBpfHandle perfEvent, UprobeTarget target, bool isReturn, int? pid)
        : base(link, perfEvent) => (Target, IsReturnProbe, ProcessId) = (target, isReturn, pid);

    /// <summary>The probed file and offset.</summary>
    public UprobeTarget Target { get; }

    /// <summary>True for a uretprobe.</summary>
    public bool IsReturnProbe { get; }

    /// <summary>The only process that triggers the probe, or null for every process.</summary>
    public int? ProcessId { get; }

    /// <summary>Attaches <paramref name="program"/> to <paramref name="symbol"/> in <paramref name="binary"/> (a path or a library name).</summary>
    /// <exception cref="FileNotFoundException">No such file or library.</exception>
    /// <exception cref="Ebpf.Elf.ElfSymbolNotFoundException">The file does not define the symbol.</exception>
    /// <exception cref="KernelFeatureMissingException">The kernel has no uprobe events.</exception>
    public static UprobeLink Attach(KernelProgram program, string binary, string symbol, bool isReturn = false, int? pid = null) =>
        Attach(program, UprobeTarget.Resolve(binary, symbol), isReturn, pid);

    /// <summary>Attaches <paramref name="program"/> to <paramref name="target"/>.</summary>
    /// <param name="program">A Kprobe program (uprobes use the kprobe program type).</param>
    /// <param name="target">The file and offset.</param>
    /// <param name="isReturn">True for a uretprobe.</param>
    /// <param name="pid">Only this process triggers the probe; null: every process that maps the file.</param>
    /// <exception cref="KernelFeatureMissingException">The kernel has no uprobe PMU (CONFIG_UPROBE_EVENTS).</exception>
    /// <exception cref="BpfException">The kernel refused the probe (EINVAL: the offset is not an instruction boundary...).</exception>
    public static unsafe UprobeLink Attach(KernelProgram program, UprobeTarget target, bool isReturn = false, int? pid = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(target);
        if (program.Type != ProgramType.Kprobe) throw new ArgumentException($"{program} is not a Kprobe program (uprobes use that type)", nameof(program));
        string kind = isReturn ? "uretprobe" : "uprobe";
        string what = $"{kind} {target}";
        (uint pmuType, ulong retprobeBit) = Pmu(kind, what);
        byte[] path = Encoding.UTF8.GetBytes(target.Path + "\0");
        fixed (byte* p = path)
        {
            var attr = new PerfEvent.Attr
            {
                Type = pmuType,
                Config = isReturn ? retprobeBit : 0,
                Config1 = Bpf.Ptr(p),
                Config2 = target.Offset,
            };
            SafeBpfHandle perfEvent = OpenPerfEvent(ref attr, what, e => e is Errno.EOPNOTSUPP or Errno.ENOTSUPP
                ? new KernelFeatureMissingException($"{kind}s", $"open perf event for {what}: {e.Describe()}")
                : null, pid);
            return new UprobeLink(Create(program, perfEvent, what), perfEvent, target, isReturn, pid);
        }
    }

    /// <summary>The uprobe PMU's type and the config bit that makes a uretprobe (its format file says which).</summary>
    internal static (uint Type, ulong RetprobeBit) Pmu(string kind, string what)
    {
        string typePath = Path.Combine(PmuDirectory, "type");
        if (!File.Exists(typePath))
            throw new KernelFeatureMissingException($"{kind}s (CONFIG_UPROBE_EVENTS)",
                $"attach {what}: {typePath} does not exist, the kernel was built without uprobe events");
        uint type = uint.Parse(File.ReadAllText(typePath).Trim(), CultureInfo.InvariantCulture);
        return (type, RetprobeBit(Path.Combine(PmuDirectory, "format", "retprobe")));
    }

    /// <summary>Parses a PMU format file such as "config:0" into the bit it names (bit 0 when absent).</summary>
    internal static ulong RetprobeBit(string formatFile)
    {
        if (!File.Exists(formatFile)) return 1;
        string text = File.ReadAllText(formatFile).Trim();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int bit) && bit is >= 0 and < 64
            ? 1UL << bit : 1;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{(IsReturnProbe ? "uretprobe" : "uprobe")} link {Target} ({Handle})";
}
