using System.Globalization;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A Tracepoint program attached to a kernel tracepoint (<c>syscalls/sys_enter_openat</c>): perf_event_open of the
/// tracepoint's tracefs id, then a perf event link (Linux 5.15+).
/// </summary>
public sealed class TracepointLink : PerfEventLink
{
    private static readonly string[] s_tracefsRoots = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"];

    private TracepointLink(SafeBpfHandle link, SafeBpfHandle perfEvent, string category, string name)
        : base(link, perfEvent) => (Category, Name) = (category, name);

    /// <summary>The tracepoint's category ("syscalls").</summary>
    public string Category { get; }

    /// <summary>The tracepoint's name ("sys_enter_openat").</summary>
    public string Name { get; }

    /// <summary>Attaches <paramref name="program"/> to tracepoint <paramref name="category"/>/<paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The program is not a Tracepoint program.</exception>
    /// <exception cref="FileNotFoundException">No such tracepoint (or tracefs is not mounted).</exception>
    /// <exception cref="KernelFeatureMissingException">The kernel has no perf event links (before 5.15).</exception>
    public static TracepointLink Attach(KernelProgram program, string category, string name)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentException.ThrowIfNullOrEmpty(category);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (program.Type != ProgramType.Tracepoint) throw new ArgumentException($"{program} is not a Tracepoint program", nameof(program));
        string what = $"tracepoint {category}/{name}";
        var attr = new PerfEvent.Attr { Type = PerfEvent.TypeTracepoint, Config = TracepointId(category, name) };
        SafeBpfHandle perfEvent = OpenPerfEvent(ref attr, what);
        return new TracepointLink(Create(program, perfEvent, what), perfEvent, category, name);
    }

    /// <summary>The tracefs id of a tracepoint (<c>events/CATEGORY/NAME/id</c>).</summary>
    /// <exception cref="FileNotFoundException">No such tracepoint, or tracefs is not mounted.</exception>
    public static ulong TracepointId(string category, string name)
    {
        foreach (string root in s_tracefsRoots)
        {
            string path = Path.Combine(root, "events", category, name, "id");
            if (File.Exists(path)) return ulong.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
        }
        throw new FileNotFoundException($"tracepoint {category}/{name}: no events/{category}/{name}/id under {string.Join(" or ", s_tracefsRoots)} (no such tracepoint, or tracefs not mounted)");
    }

    /// <inheritdoc/>
    public override string ToString() => $"tracepoint link {Category}/{Name} ({Handle})";
}
