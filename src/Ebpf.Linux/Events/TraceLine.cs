using System.Globalization;
using System.Text.RegularExpressions;

namespace Ebpf.Linux.Events;

/// <summary>
/// One line of the kernel's trace_pipe as bpf_trace_printk writes it:
/// <c>TASK-PID [(TGID)] [CPU] [FLAGS] TIMESTAMP: FUNCTION: MESSAGE</c>.
/// </summary>
/// <param name="Task">The command name (may contain spaces and dashes; "&lt;...&gt;" when the kernel did not record it).</param>
/// <param name="Pid">The thread id.</param>
/// <param name="Cpu">The CPU the line was written on.</param>
/// <param name="Timestamp">Seconds since boot, as the trace clock printed it.</param>
/// <param name="Function">The emitting function ("bpf_trace_printk").</param>
/// <param name="Message">The formatted message.</param>
public sealed partial record TraceLine(string Task, int Pid, int Cpu, double Timestamp, string Function, string Message)
{
    // The task is matched greedily up to the last "-PID" that is followed by the optional (TGID) and the [CPU] column:
    // command names may themselves contain "-digits".
    [GeneratedRegex(@"^\s*(?<task>.+)-(?<pid>\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[(?<cpu>\d+)\]\s+(?:\S{4,5}\s+)?(?<ts>\d+\.\d+):\s+(?<func>[^:]+):\s?(?<msg>.*)$")]
    private static partial Regex Pattern();

    /// <summary>Parses a trace_pipe line; false for lines of another shape (headers, other tracers' formats).</summary>
    public static bool TryParse(string line, out TraceLine? parsed)
    {
        ArgumentNullException.ThrowIfNull(line);
        Match m = Pattern().Match(line);
        parsed = m.Success
            ? new TraceLine(m.Groups["task"].Value.Trim(), int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture),
                int.Parse(m.Groups["cpu"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["ts"].Value, CultureInfo.InvariantCulture),
                m.Groups["func"].Value, m.Groups["msg"].Value)
            : null;
        return parsed is not null;
    }
}
