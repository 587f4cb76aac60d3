namespace Ebpf.Linux.Events;

/// <summary>
/// Receives one perf buffer sample: the CPU whose ring it came from and its bytes, valid only during the call (they
/// live in the kernel's ring, or in a reused buffer when the record wrapped around the ring's end).
/// </summary>
/// <param name="cpu">The CPU the program ran on when it called bpf_perf_event_output.</param>
/// <param name="data">The raw sample; the kernel pads it so that 4 + its length is a multiple of 8.</param>
public delegate void PerfRecordHandler(int cpu, ReadOnlySpan<byte> data);
