using System.Buffers.Binary;

namespace Ebpf.Vm.Pcap;

/// <summary>
/// Writes a classic pcap capture (little-endian, microsecond or nanosecond timestamps) that tcpdump, Wireshark and
/// <see cref="PcapReader"/> read.
/// </summary>
public sealed class PcapWriter : CaptureWriter
{
    private readonly bool _nano;
    private readonly byte[] _record = new byte[16];

    /// <summary>Starts a capture on <paramref name="stream"/> (the file header is written at once).</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="linkType">What the packets start with.</param>
    /// <param name="nanosecond">Nanosecond timestamps (magic a1b23c4d) instead of microseconds.</param>
    /// <param name="snapLength">The snap length recorded in the header.</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open on dispose.</param>
    public PcapWriter(Stream stream, PcapLinkType linkType = PcapLinkType.Ethernet, bool nanosecond = false, int snapLength = 262144, bool leaveOpen = false)
        : base(stream, leaveOpen)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(snapLength);
        _nano = nanosecond;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, nanosecond ? 0xa1b23c4du : 0xa1b2c3d4u);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)linkType);
        Stream.Write(header);
    }

    /// <summary>Creates <paramref name="path"/> and starts a capture in it.</summary>
    public static PcapWriter Create(string path, PcapLinkType linkType = PcapLinkType.Ethernet, bool nanosecond = false) =>
        new(File.Create(path), linkType, nanosecond);

    /// <summary>Appends a packet.</summary>
    /// <param name="data">The bytes captured.</param>
    /// <param name="timestamp">When it was captured.</param>
    /// <param name="originalLength">Its length on the wire (-1: <paramref name="data"/>'s).</param>
    public override void Write(ReadOnlySpan<byte> data, DateTimeOffset timestamp, int originalLength = -1)
    {
        long ticks = (timestamp - DateTimeOffset.UnixEpoch).Ticks;
        if (ticks < 0) throw new ArgumentOutOfRangeException(nameof(timestamp), "pcap cannot hold times before 1970");
        long seconds = ticks / TimeSpan.TicksPerSecond, fraction = ticks % TimeSpan.TicksPerSecond;
        BinaryPrimitives.WriteUInt32LittleEndian(_record, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(_record.AsSpan(4), (uint)(_nano ? fraction * 100 : fraction / 10));
        BinaryPrimitives.WriteUInt32LittleEndian(_record.AsSpan(8), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_record.AsSpan(12), (uint)Math.Max(originalLength, data.Length));
        Stream.Write(_record);
        Stream.Write(data);
    }


}
