namespace Ebpf.Vm.Pcap;

/// <summary>What the pcap and pcapng writers share: packets in, the stream flushed and (unless kept) closed at the end.</summary>
public abstract class CaptureWriter : IDisposable
{
    private readonly bool _leaveOpen;

    /// <summary>A writer on <paramref name="stream"/>.</summary>
    private protected CaptureWriter(Stream stream, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        (Stream, _leaveOpen) = (stream, leaveOpen);
    }

    /// <summary>Where the capture goes.</summary>
    private protected Stream Stream { get; }

    /// <summary>Appends a packet.</summary>
    /// <param name="data">The bytes captured.</param>
    /// <param name="timestamp">When it was captured.</param>
    /// <param name="originalLength">Its length on the wire (-1: <paramref name="data"/>'s).</param>
    public abstract void Write(ReadOnlySpan<byte> data, DateTimeOffset timestamp, int originalLength = -1);

    /// <summary>Appends a packet read from another capture.</summary>
    public void Write(PcapPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        Write(packet.Data.Span, packet.Timestamp, packet.OriginalLength);
    }

    /// <summary>Flushes and, unless asked to leave it open, closes the stream.</summary>
    public void Dispose()
    {
        Stream.Flush();
        if (!_leaveOpen) Stream.Dispose();
        GC.SuppressFinalize(this);
    }
}
