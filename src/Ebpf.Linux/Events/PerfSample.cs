namespace Ebpf.Linux.Events;

/// <summary>A typed perf buffer sample with the CPU it came from.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Cpu">The CPU whose ring held the sample.</param>
/// <param name="Value">The sample, copied out of the ring.</param>
public readonly record struct PerfSample<T>(int Cpu, T Value) where T : unmanaged;
