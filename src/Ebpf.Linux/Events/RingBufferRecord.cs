namespace Ebpf.Linux.Events;

/// <summary>
/// One record of a BPF ring buffer, read in place from the shared mapping (no copy). <see cref="Data"/> is valid until
/// the next read from (or dispose of) the reader that returned it: the kernel reuses the space after that.
/// </summary>
public readonly ref struct RingBufferRecord
{
    internal RingBufferRecord(ReadOnlySpan<byte> data) => Data = data;

    /// <summary>The bytes the program reserved (bpf_ringbuf_reserve) or output (bpf_ringbuf_output).</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Reads the record as a <typeparamref name="T"/> (copying it out of the ring).</summary>
    /// <exception cref="InvalidDataException">The record is shorter than <typeparamref name="T"/>.</exception>
    public unsafe T Read<T>() where T : unmanaged =>
        Data.Length >= sizeof(T)
            ? System.Runtime.InteropServices.MemoryMarshal.Read<T>(Data)
            : throw new InvalidDataException($"a {Data.Length}-byte ring buffer record is too short for {typeof(T).Name} ({sizeof(T)} bytes)");
}
