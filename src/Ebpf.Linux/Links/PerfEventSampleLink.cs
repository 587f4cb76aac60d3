using System.Globalization;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A PerfEvent program run on a CPU-clock software event (PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK) on every online
/// CPU: a sampling profiler's hook. One perf event per CPU, each attached by a perf event link (5.15+) or, on older
/// kernels, PERF_EVENT_IOC_SET_BPF. Disposing closes them all, which detaches the program.
/// </summary>
public sealed class PerfEventSampleLink : IDisposable
{
    private const uint TypeSoftware = 1;                    // PERF_TYPE_SOFTWARE
    private const ulong CpuClock = 0;                       // PERF_COUNT_SW_CPU_CLOCK
    private const ulong FlagFrequency = 1UL << 10;          // perf_event_attr.freq

    private readonly PerfEventLink[] _links;

    private PerfEventSampleLink(PerfEventLink[] links, int[] cpus) => (_links, Cpus) = (links, cpus);

    /// <summary>The per-CPU attachments, in the order of <see cref="Cpus"/>.</summary>
    public IReadOnlyList<PerfEventLink> Links => _links;

    /// <summary>The CPUs sampled.</summary>
    public IReadOnlyList<int> Cpus { get; }

    /// <summary>Runs <paramref name="program"/> on CPU-clock samples of every online CPU.</summary>
    /// <param name="program">A PerfEvent program.</param>
    /// <param name="frequency">Samples per second per CPU (the kernel adjusts the period); used when <paramref name="period"/> is 0.</param>
    /// <param name="period">Nanoseconds of CPU time between samples; 0: sample by <paramref name="frequency"/>.</param>
    /// <exception cref="ArgumentException">The program is not a PerfEvent program, or both rates are 0.</exception>
    /// <exception cref="UnauthorizedAccessException">No CAP_PERFMON (system-wide sampling).</exception>
    public static PerfEventSampleLink Attach(KernelProgram program, ulong frequency = 1000, ulong period = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type != ProgramType.PerfEvent) throw new ArgumentException($"{program} is not a PerfEvent program", nameof(program));
        if (frequency == 0 && period == 0) throw new ArgumentException("give a sampling frequency or a period", nameof(frequency));
        int[] cpus = OnlineCpus();
        var links = new List<PerfEventLink>(cpus.Length);
        try
        {
            foreach (int cpu in cpus)
            {
                var attr = new PerfEvent.Attr
                {
                    Type = TypeSoftware,
                    Config = CpuClock,
                    SamplePeriod = period != 0 ? period : frequency,
                    Flags = period != 0 ? 0 : FlagFrequency,
                };
                links.Add(CpuLink.Open(program, ref attr, cpu));
            }
            return new PerfEventSampleLink([.. links], cpus);
        }
        catch
        {
            foreach (PerfEventLink l in links) l.Dispose();
            throw;
        }
    }

    /// <summary>The online CPUs (/sys/devices/system/cpu/online, such as "0-3,6").</summary>
    internal static int[] OnlineCpus()
    {
        string text = File.ReadAllText("/sys/devices/system/cpu/online").Trim();
        var cpus = new List<int>();
        foreach (string range in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] ends = range.Split('-');
            int first = int.Parse(ends[0], CultureInfo.InvariantCulture);
            int last = ends.Length > 1 ? int.Parse(ends[1], CultureInfo.InvariantCulture) : first;
            for (int c = first; c <= last; c++) cpus.Add(c);
        }
        return [.. cpus];
    }

    /// <summary>Detaches the program from every CPU.</summary>
    public void Dispose()
    {
        foreach (PerfEventLink l in _links) l.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"perf_event sampling link on CPUs {string.Join(",", Cpus)}";

    private sealed class CpuLink : PerfEventLink
    {
        private CpuLink(SafeBpfHandle link, SafeBpfHandle perfEvent, int cpu) : base(link, perfEvent) => Cpu = cpu;

        private int Cpu { get; }

        internal static CpuLink Open(KernelProgram program, ref PerfEvent.Attr attr, int cpu)
        {
            string what = $"CPU clock sampling on CPU {cpu}";
            SafeBpfHandle perfEvent = OpenPerfEvent(ref attr, what, cpu: cpu);
            return new CpuLink(Create(program, perfEvent, what), perfEvent, cpu);
        }

        public override string ToString() => $"perf_event link CPU {Cpu} ({Handle})";
    }
}
