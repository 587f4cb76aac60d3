namespace Ebpf.Linux.Events;

/// <summary>Receives one event's bytes, which stay valid only during the call (they live in the kernel's ring).</summary>
/// <param name="data">The record as the BPF program wrote it.</param>
public delegate void RecordHandler(ReadOnlySpan<byte> data);
