namespace Ebpf.Linux.Events;

/// <summary>
/// Space reserved in a user ring buffer by <see cref="UserRingBufferWriter.TryReserve"/>: fill <see cref="Data"/>, then
/// pass it to <see cref="UserRingBufferWriter.Submit"/> or <see cref="UserRingBufferWriter.Discard"/>. Until then the
/// kernel's drain stops at this sample (and every later one).
/// </summary>
public readonly unsafe ref struct UserRingBufferSample
{
    internal UserRingBufferSample(byte* header, int size)
    {
        Header = header;
        Data = new Span<byte>(header + 8, size);
    }

    /// <summary>The reserved bytes, written in place into the shared ring.</summary>
    public Span<byte> Data { get; }

    internal byte* Header { get; }
}
