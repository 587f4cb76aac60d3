namespace Ebpf.Linux.Events;

/// <summary>Receives one record of a <see cref="RingBufferSet"/>; the bytes stay valid only during the call.</summary>
/// <param name="ring">The index <see cref="RingBufferSet.Add"/> returned for the ring the record came from.</param>
/// <param name="data">The record as the BPF program wrote it.</param>
public delegate void RingRecordHandler(int ring, ReadOnlySpan<byte> data);
