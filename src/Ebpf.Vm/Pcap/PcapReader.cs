using System.Buffers.Binary;

namespace Ebpf.Vm.Pcap;

/// <summary>
/// Reads pcap (microsecond or nanosecond, either byte order) and pcapng (any number of sections and interfaces,
/// per-interface timestamp resolution; enhanced, simple and obsolete packet blocks) captures, told apart by their
/// first bytes. Packets stream out one at a time; malformed input raises <see cref="PcapFormatException"/> naming
/// the offset and field, never another exception type.
/// </summary>
public static class PcapReader
{
    /// <summary>The largest packet or block accepted (256 MiB): a bigger length is a corrupt file, not a packet.</summary>
    public const int MaxLength = 256 << 20;

    private const uint PcapMicro = 0xa1b2c3d4, PcapNano = 0xa1b23c4d, SectionHeader = 0x0A0D0D0A, ByteOrderMagic = 0x1A2B3C4D;

    /// <summary>The packets of the capture at <paramref name="path"/>.</summary>
    /// <exception cref="PcapFormatException">The file is not a valid capture.</exception>
    public static IEnumerable<PcapPacket> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ReadFileCore(path);
    }

    /// <summary>The packets of the capture in <paramref name="stream"/>, read as they are enumerated.</summary>
    /// <exception cref="PcapFormatException">The stream is not a valid capture.</exception>
    public static IEnumerable<PcapPacket> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadCore(stream);
    }

    private static IEnumerable<PcapPacket> ReadFileCore(string path)
    {
        using FileStream file = File.OpenRead(path);
        foreach (PcapPacket p in ReadCore(file)) yield return p;
    }

    private static IEnumerable<PcapPacket> ReadCore(Stream stream)
    {
        var input = new Input(stream);
        Span<byte> magic = stackalloc byte[4];
        if (!input.TryRead(magic)) throw new PcapFormatException("empty file: no pcap or pcapng header", 0);
        uint little = BinaryPrimitives.ReadUInt32LittleEndian(magic), big = BinaryPrimitives.ReadUInt32BigEndian(magic);
        if (little == SectionHeader) return PcapNg(input);
        if (little is PcapMicro or PcapNano) return Pcap(input, bigEndian: false, nano: little == PcapNano);
        if (big is PcapMicro or PcapNano) return Pcap(input, bigEndian: true, nano: big == PcapNano);
        throw new PcapFormatException($"unknown file magic 0x{little:x8}: neither pcap (a1b2c3d4, a1b23c4d) nor pcapng (0a0d0d0a)", 0);
    }

    private static IEnumerable<PcapPacket> Pcap(Input input, bool bigEndian, bool nano)
    {
        byte[] header = new byte[20];
        input.ReadExactly(header, "pcap file header");
        var e = new Endian(bigEndian);
        ushort major = e.U16(header, 0);
        if (major != 2) throw new PcapFormatException($"pcap version {major}.{e.U16(header, 2)} (only 2.x exists)", 4);
        uint snapLength = e.U32(header, 12);
        var linkType = (PcapLinkType)(e.U32(header, 16) & 0x0fffffff);   // upper bits: FCS length
        byte[] record = new byte[16];
        while (true)
        {
            long at = input.Position;
            if (!input.TryRead(record)) yield break;
            uint seconds = e.U32(record, 0), fraction = e.U32(record, 4), captured = e.U32(record, 8), original = e.U32(record, 12);
            if (captured > MaxLength) throw new PcapFormatException($"packet record says {captured} captured bytes", at + 8);
            if (fraction >= (nano ? 1_000_000_000u : 1_000_000u))
                throw new PcapFormatException($"packet timestamp fraction {fraction} is not below one second", at + 4);
            byte[] data = new byte[captured];
            input.ReadExactly(data, $"packet data ({captured} bytes, snap length {snapLength})");
            long ticks = (seconds * TimeSpan.TicksPerSecond) + (nano ? fraction / 100 : fraction * 10L);
            yield return new PcapPacket(DateTimeOffset.UnixEpoch.AddTicks(ticks), data, (int)Math.Max(original, captured), linkType);
        }
    }

    private static IEnumerable<PcapPacket> PcapNg(Input input)
    {
        var interfaces = new List<(PcapLinkType Link, ulong UnitsPerSecond)>();
        byte[] head = new byte[8];
        // The first block's type is read already; its length follows.
        input.ReadExactly(head.AsSpan(4), "section header block");
        Endian e = ReadSection(input, 0, head.AsSpan(4));
        while (true)
        {
            long blockStart = input.Position;
            if (!input.TryRead(head)) yield break;
            uint type = e.U32(head, 0), length;
            if (type == SectionHeader)
            {
                // A new section: its own byte order and interfaces (the type reads the same in both orders).
                e = ReadSection(input, blockStart, head.AsSpan(4));
                interfaces.Clear();
                continue;
            }
            length = e.U32(head, 4);
            byte[] block = ReadBody(input, length, 8, blockStart, e);
            switch (type)
            {
                case 1:   // interface description
                    if (block.Length < 8) throw new PcapFormatException("interface description block shorter than 8 bytes", blockStart);
                    interfaces.Add(((PcapLinkType)e.U16(block, 0), Resolution(block.AsSpan(8), e, blockStart)));
                    break;
                case 6:   // enhanced packet
                {
                    if (block.Length < 20) throw new PcapFormatException("enhanced packet block shorter than 20 bytes", blockStart);
                    uint id = e.U32(block, 0), captured = e.U32(block, 12), original = e.U32(block, 16);
                    if (id >= interfaces.Count) throw new PcapFormatException($"enhanced packet block names interface {id}, the section has {interfaces.Count}", blockStart + 8);
                    if (captured > block.Length - 20) throw new PcapFormatException($"enhanced packet block says {captured} captured bytes, it holds {block.Length - 20}", blockStart + 20);
                    ulong stamp = ((ulong)e.U32(block, 4) << 32) | e.U32(block, 8);
                    yield return new PcapPacket(Time(stamp, interfaces[(int)id].UnitsPerSecond), block.AsSpan(20, (int)captured).ToArray(),
                        (int)Math.Max(original, captured), interfaces[(int)id].Link, (int)id);
                    break;
                }
                case 3:   // simple packet: interface 0, no timestamp
                {
                    if (block.Length < 4) throw new PcapFormatException("simple packet block shorter than 4 bytes", blockStart);
                    if (interfaces.Count == 0) throw new PcapFormatException("simple packet block before any interface description", blockStart);
                    uint original = e.U32(block, 0);
                    int captured = (int)Math.Min(original, (uint)(block.Length - 4));
                    yield return new PcapPacket(DateTimeOffset.UnixEpoch, block.AsSpan(4, captured).ToArray(), (int)original, interfaces[0].Link);
                    break;
                }
                case 2:   // obsolete packet block: 16-bit interface id, drops count
                {
                    if (block.Length < 20) throw new PcapFormatException("packet block shorter than 20 bytes", blockStart);
                    ushort id = e.U16(block, 0);
                    uint captured = e.U32(block, 12), original = e.U32(block, 16);
                    if (id >= interfaces.Count) throw new PcapFormatException($"packet block names interface {id}, the section has {interfaces.Count}", blockStart + 8);
                    if (captured > block.Length - 20) throw new PcapFormatException($"packet block says {captured} captured bytes, it holds {block.Length - 20}", blockStart + 20);
                    ulong stamp = ((ulong)e.U32(block, 4) << 32) | e.U32(block, 8);
                    yield return new PcapPacket(Time(stamp, interfaces[id].UnitsPerSecond), block.AsSpan(20, (int)captured).ToArray(), (int)Math.Max(original, captured), interfaces[id].Link, id);
                    break;
                }
            }
        }
    }

    // A section header block after its type and length: the byte-order magic decides how to read everything else.
    private static Endian ReadSection(Input input, long at, ReadOnlySpan<byte> lengthBytes)
    {
        byte[] bom = new byte[4];
        input.ReadExactly(bom, "section header byte-order magic");
        Endian e = BinaryPrimitives.ReadUInt32LittleEndian(bom) == ByteOrderMagic ? new Endian(false)
            : BinaryPrimitives.ReadUInt32BigEndian(bom) == ByteOrderMagic ? new Endian(true)
            : throw new PcapFormatException($"section header byte-order magic 0x{BinaryPrimitives.ReadUInt32LittleEndian(bom):x8} is not 1a2b3c4d", at + 8);
        byte[] body = ReadBody(input, e.U32(lengthBytes, 0), 12, at, e);
        if (body.Length < 12) throw new PcapFormatException("section header block shorter than 28 bytes", at);
        if (e.U16(body, 0) != 1) throw new PcapFormatException($"pcapng version {e.U16(body, 0)}.{e.U16(body, 2)} (only 1.x exists)", at + 12);
        return e;
    }

    // The block's body after the bytes already read (`consumed`), checked against its trailing length copy.
    private static byte[] ReadBody(Input input, uint length, int consumed, long at, Endian e)
    {
        if (length < 12 || length % 4 != 0 || length > MaxLength)
            throw new PcapFormatException($"block total length {length} is not a multiple of 4 between 12 and {MaxLength}", at + 4);
        if (length < consumed + 4) throw new PcapFormatException($"block total length {length} is too short for its header", at + 4);
        byte[] body = new byte[length - consumed - 4];
        input.ReadExactly(body, "block body");
        byte[] trailer = new byte[4];
        input.ReadExactly(trailer, "block trailing length");
        if (e.U32(trailer, 0) != length) throw new PcapFormatException($"block trailing length {e.U32(trailer, 0)} differs from its leading {length}", at + length - 4);
        return body;
    }

    // if_tsresol (option 9): 10^-n, or 2^-n with the top bit set; microseconds without it.
    private static ulong Resolution(ReadOnlySpan<byte> options, Endian e, long at)
    {
        while (options.Length >= 4)
        {
            ushort code = e.U16(options, 0), length = e.U16(options, 2);
            if (code == 0) break;
            if (4 + length > options.Length) throw new PcapFormatException($"interface option {code} of {length} bytes runs past its block", at);
            if (code == 9 && length >= 1)
            {
                byte v = options[4];
                int exponent = v & 0x7f;
                if ((v & 0x80) != 0) return exponent >= 64 ? throw new PcapFormatException($"if_tsresol 2^-{exponent} is finer than the reader handles", at) : 1UL << exponent;
                if (exponent > 19) throw new PcapFormatException($"if_tsresol 10^-{exponent} is finer than the reader handles", at);
                ulong units = 1;
                for (int i = 0; i < exponent; i++) units *= 10;
                return units;
            }
            options = options[((4 + length + 3) & ~3)..];
        }
        return 1_000_000;
    }

    private static DateTimeOffset Time(ulong stamp, ulong unitsPerSecond)
    {
        ulong seconds = stamp / unitsPerSecond, rest = stamp % unitsPerSecond;
        if (seconds > 253_402_300_799) return DateTimeOffset.MaxValue;   // past year 9999: not a real capture time
        long ticks = (long)seconds * TimeSpan.TicksPerSecond + (long)((UInt128)rest * TimeSpan.TicksPerSecond / unitsPerSecond);
        return DateTimeOffset.UnixEpoch.AddTicks(ticks);
    }

    private readonly struct Endian(bool big)
    {
        public ushort U16(ReadOnlySpan<byte> b, int at) => big ? BinaryPrimitives.ReadUInt16BigEndian(b[at..]) : BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);

        public uint U32(ReadOnlySpan<byte> b, int at) => big ? BinaryPrimitives.ReadUInt32BigEndian(b[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
    }

    /// <summary>The stream with its position counted (pipes cannot seek) and short reads as format errors.</summary>
    private sealed class Input(Stream stream)
    {
        public long Position { get; private set; }

        public bool TryRead(Span<byte> buffer)
        {
            int n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            Position += n;
            if (n == 0) return false;
            return n == buffer.Length ? true : throw new PcapFormatException($"the file ends inside a {buffer.Length}-byte record header", Position - n);
        }

        public void ReadExactly(Span<byte> buffer, string what)
        {
            int n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            Position += n;
            if (n != buffer.Length) throw new PcapFormatException($"the file ends inside the {what}: {n} of {buffer.Length} bytes", Position - n);
        }
    }
}
