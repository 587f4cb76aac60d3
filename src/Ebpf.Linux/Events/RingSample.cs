namespace Ebpf.Linux.Events;

/// <summary>A typed record of a <see cref="RingBufferSet"/> with the ring it came from.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Ring">The index <see cref="RingBufferSet.Add"/> returned for the ring.</param>
/// <param name="Value">The record, copied out of the ring.</param>
public readonly record struct RingSample<T>(int Ring, T Value) where T : unmanaged;
