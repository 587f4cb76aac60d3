using System.Buffers.Binary;

namespace Ebpf.Vm.Pcap;

/// <summary>
/// Writes a pcapng capture (one little-endian section, one interface, nanosecond timestamps via if_tsresol) that
/// tcpdump, Wireshark and <see cref="PcapReader"/> read.
/// </summary>
public sealed class PcapNgWriter : CaptureWriter
{

    /// <summary>Starts a capture: the section header and the interface description are written at once.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="linkType">What the packets start with.</param>
    /// <param name="interfaceName">The if_name option ("" for none).</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open on dispose.</param>
    public PcapNgWriter(Stream stream, PcapLinkType linkType = PcapLinkType.Ethernet, string interfaceName = "", bool leaveOpen = false)
        : base(stream, leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(interfaceName);
        // Section header: byte-order magic, version 1.0, section length unknown (-1).
        byte[] section = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(section, 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(section.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64LittleEndian(section.AsSpan(8), -1);
        Block(0x0A0D0D0A, section);
        // Interface description: link type, snap length 0 (none), if_tsresol = 9 (nanoseconds), if_name.
        byte[] name = System.Text.Encoding.UTF8.GetBytes(interfaceName);
        var idb = new List<byte>(new byte[8]);
        BinaryPrimitives.WriteUInt16LittleEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(idb), (ushort)linkType);
        idb.AddRange(Option(9, [9]));
        if (name.Length > 0) idb.AddRange(Option(2, name));
        idb.AddRange(new byte[4]);   // opt_endofopt
        Block(1, [.. idb]);
    }

    /// <summary>Creates <paramref name="path"/> and starts a capture in it.</summary>
    public static PcapNgWriter Create(string path, PcapLinkType linkType = PcapLinkType.Ethernet, string interfaceName = "") =>
        new(File.Create(path), linkType, interfaceName);

    /// <summary>Appends an enhanced packet block.</summary>
    public override void Write(ReadOnlySpan<byte> data, DateTimeOffset timestamp, int originalLength = -1)
    {
        long ticks = (timestamp - DateTimeOffset.UnixEpoch).Ticks;
        if (ticks < 0) throw new ArgumentOutOfRangeException(nameof(timestamp), "pcapng cannot hold times before 1970 here");
        ulong nanoseconds = (ulong)ticks * 100;
        int padded = (data.Length + 3) & ~3;
        byte[] body = new byte[20 + padded];
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), (uint)(nanoseconds >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), (uint)nanoseconds);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(12), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(16), (uint)Math.Max(originalLength, data.Length));
        data.CopyTo(body.AsSpan(20));
        Block(6, body);
    }



    private void Block(uint type, ReadOnlySpan<byte> body)
    {
        Span<byte> edge = stackalloc byte[8];
        uint total = (uint)(12 + body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(edge, type);
        BinaryPrimitives.WriteUInt32LittleEndian(edge[4..], total);
        Stream.Write(edge);
        Stream.Write(body);
        Stream.Write(edge[4..]);
    }

    private static byte[] Option(ushort code, byte[] value)
    {
        byte[] o = new byte[4 + ((value.Length + 3) & ~3)];
        BinaryPrimitives.WriteUInt16LittleEndian(o, code);
        BinaryPrimitives.WriteUInt16LittleEndian(o.AsSpan(2), (ushort)value.Length);
        value.CopyTo(o, 4);
        return o;
    }
}
