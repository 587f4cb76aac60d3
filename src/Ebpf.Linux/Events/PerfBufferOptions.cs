namespace Ebpf.Linux.Events;

/// <summary>How a <see cref="PerfBufferReader"/> sets up its per-CPU rings.</summary>
public sealed record PerfBufferOptions
{
    /// <summary>Data pages per CPU ring (a power of two; default 64 = 256 KiB with 4 KiB pages).</summary>
    public int PagesPerCpu { get; init; } = 64;

    /// <summary>
    /// Wake the reader after this many samples (default 1: every sample). Larger values save wake-ups; the last
    /// few samples of a burst are then seen by the next poll timeout or wake-up.
    /// </summary>
    public int WakeupEvents { get; init; } = 1;

    /// <summary>When positive, wake the reader once this many bytes are in a ring instead (overrides <see cref="WakeupEvents"/>).</summary>
    public int WakeupWatermarkBytes { get; init; }

    /// <summary>Open only this CPU's ring (bpftool's <c>cpu N</c>); null: every online CPU below the map's max entries.</summary>
    public int? Cpu { get; init; }

    /// <summary>The map index that receives <see cref="Cpu"/>'s ring (bpftool's <c>index M</c>); default: the CPU number.</summary>
    public int? Index { get; init; }
}
