using Ebpf.Linux.Events;

namespace Ebpf.Linux.Tests.Events;

/// <summary>trace_pipe lines as kernels print them (with and without flags and the TGID column).</summary>
public sealed class TraceLineTests
{
    [Theory]
    [InlineData("           <...>-1234    [001] d..31  1234.567890: bpf_trace_printk: hello world", "<...>", 1234, 1, 1234.56789, "hello world")]
    [InlineData("            bash-20117   [000] .... 19532.102745: bpf_trace_printk: seq 7", "bash", 20117, 0, 19532.102745, "seq 7")]
    [InlineData(" Web Content-4242 (   4240) [003] ...1.  88.000001: bpf_trace_printk: a: b", "Web Content", 4242, 3, 88.000001, "a: b")]
    [InlineData("  kworker/u8:2-99  [002] 5.5: bpf_trace_printk: x", "kworker/u8:2", 99, 2, 5.5, "x")]
    [InlineData("     my-task-12-7 [001] d.... 10.25: bpf_trace_printk: m", "my-task-12", 7, 1, 10.25, "m")]
    public void TryParse_RealLines(string line, string task, int pid, int cpu, double ts, string message)
    {
        Assert.True(TraceLine.TryParse(line, out TraceLine? t));
        Assert.Equal(task, t!.Task);
        Assert.Equal(pid, t.Pid);
        Assert.Equal(cpu, t.Cpu);
        Assert.Equal(ts, t.Timestamp, 6);
        Assert.Equal("bpf_trace_printk", t.Function);
        Assert.Equal(message, t.Message);
    }

    [Theory]
    [InlineData("# tracer: nop")]
    [InlineData("")]
    [InlineData("CPU:1 [LOST 3 EVENTS]")]
    public void TryParse_OtherLines_False(string line) => Assert.False(TraceLine.TryParse(line, out _));
}
