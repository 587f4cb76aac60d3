using Ebpf.Testing;
using Ebpf.Vm.Pcap;

namespace Ebpf.Vm.Tests.Pcap;

/// <summary>pcap and pcapng: round trips, tcpdump as the oracle both ways, and malformed files.</summary>
public sealed class PcapTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ebpf-pcap-").FullName;

    private static List<(byte[] Data, DateTimeOffset Time)> Packets(int count, int seed)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            byte[] data = new byte[random.Next(14, 1515)];
            random.NextBytes(data);
            return (data, start.AddTicks(i * 12_345_670L + random.Next(1000) * 10));   // whole microseconds
        })];
    }

    [Theory]
    [InlineData("pcap-us")]
    [InlineData("pcap-ns")]
    [InlineData("pcapng")]
    public void WrittenThenRead_GivesThePacketsBack(string format)
    {
        var packets = Packets(50, format.Length);
        string path = Path.Combine(_dir, "capture");
        Write(path, format, packets);
        PcapPacket[] read = [.. PcapReader.ReadFile(path)];
        Assert.Equal(packets.Count, read.Length);
        for (int i = 0; i < read.Length; i++)
        {
            Assert.Equal(packets[i].Data, read[i].Data.ToArray());
            Assert.Equal(packets[i].Time, read[i].Timestamp);
            Assert.Equal(PcapLinkType.Ethernet, read[i].LinkType);
            Assert.False(read[i].IsTruncated);
        }
    }

    [Theory]
    [InlineData("pcap-us")]
    [InlineData("pcap-ns")]
    [InlineData("pcapng")]
    public void Tcpdump_ReadsWhatWeWrite_AndWeReadWhatItWrites(string format)
    {
        var packets = Packets(20, 7);
        string ours = Path.Combine(_dir, "ours"), theirs = Path.Combine(_dir, "theirs.pcap");
        Write(ours, format, packets);
        ExternalTool.Run("tcpdump", "-r", ours, "-w", theirs);
        PcapPacket[] read = [.. PcapReader.ReadFile(theirs)];
        Assert.Equal(packets.Select(p => Convert.ToHexString(p.Data)), read.Select(p => Convert.ToHexString(p.Data.Span)));
        Assert.Equal(packets.Select(p => p.Time), read.Select(p => p.Timestamp));
        string text = ExternalTool.Run("tcpdump", "-r", ours, "-nn", "-tt", "-e");
        // One line per packet starts with its -tt timestamp (decoders may add continuation lines).
        string[] stamps = [.. text.Split('\n').Where(l => l.Length > 0 && char.IsAsciiDigit(l[0])).Select(l => l.Split(' ')[0])];
        Assert.Equal(packets.Select(p => $"{p.Time.ToUnixTimeSeconds()}.{p.Time.Ticks % TimeSpan.TicksPerSecond / 10:D6}"), stamps);
    }

    [Fact]
    public void PcapNg_BigEndianSection_SecondSection_AndBinaryResolution()
    {
        // Section 1, big endian: an interface with if_tsresol 2^-20, one enhanced packet at 3.5 s.
        var big = new List<byte>();
        void U32(List<byte> to, uint v, bool be) { byte[] b = BitConverter.GetBytes(v); if (be) Array.Reverse(b); to.AddRange(b); }
        void U16(List<byte> to, ushort v, bool be) { byte[] b = BitConverter.GetBytes(v); if (be) Array.Reverse(b); to.AddRange(b); }
        void Block(List<byte> to, uint type, byte[] body, bool be) { U32(to, type, be); U32(to, (uint)(12 + body.Length), be); to.AddRange(body); U32(to, (uint)(12 + body.Length), be); }
        var shb = new List<byte>(); U32(shb, 0x1A2B3C4D, true); U16(shb, 1, true); U16(shb, 0, true); shb.AddRange(Enumerable.Repeat((byte)0xff, 8));
        Block(big, 0x0A0D0D0A, [.. shb], true);
        var idb = new List<byte>(); U16(idb, (ushort)PcapLinkType.Raw, true); U16(idb, 0, true); U32(idb, 0, true); U16(idb, 9, true); U16(idb, 1, true); idb.AddRange([0x80 | 20, 0, 0, 0]); U32(idb, 0, true);
        Block(big, 1, [.. idb], true);
        ulong stamp = (3UL << 20) + (1UL << 19);
        var epb = new List<byte>(); U32(epb, 0, true); U32(epb, (uint)(stamp >> 32), true); U32(epb, (uint)stamp, true); U32(epb, 3, true); U32(epb, 60, true); epb.AddRange([0x45, 0, 0, 0]);
        Block(big, 6, [.. epb], true);
        // Section 2, little endian, written by us.
        using var stream = new MemoryStream();
        stream.Write([.. big]);
        using (var writer = new PcapNgWriter(stream, PcapLinkType.Ethernet, "veth0", leaveOpen: true))
            writer.Write([1, 2, 3, 4, 5, 6], DateTimeOffset.UnixEpoch.AddSeconds(10));
        stream.Position = 0;
        PcapPacket[] read = [.. PcapReader.Read(stream)];
        Assert.Equal(2, read.Length);
        Assert.Equal((PcapLinkType.Raw, 3, 60, true), (read[0].LinkType, read[0].Data.Length, read[0].OriginalLength, read[0].IsTruncated));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(3.5), read[0].Timestamp);
        Assert.Equal((PcapLinkType.Ethernet, DateTimeOffset.UnixEpoch.AddSeconds(10)), (read[1].LinkType, read[1].Timestamp));
    }

    [Theory]
    [InlineData("pcap-us")]
    [InlineData("pcapng")]
    public void TruncatedAnywhere_IsAFormatErrorWithItsOffset(string format)
    {
        string path = Path.Combine(_dir, "whole");
        Write(path, format, Packets(3, 1));
        byte[] whole = File.ReadAllBytes(path);
        for (int cut = 1; cut < whole.Length; cut++)
        {
            using var stream = new MemoryStream(whole, 0, cut);
            try
            {
                int n = PcapReader.Read(stream).Count();
                Assert.True(n < 3, $"cut at {cut} of {whole.Length} still gave {n} packets");
                // A cut exactly between records is a shorter, valid capture.
            }
            catch (PcapFormatException e)
            {
                Assert.InRange(e.Offset, 0, cut);
            }
        }
    }

    [Fact]
    public void RandomCorruption_OnlyEverFormatErrors()
    {
        string path = Path.Combine(_dir, "fuzz");
        var random = new Random(42);
        foreach (string format in new[] { "pcap-us", "pcapng" })
        {
            Write(path, format, Packets(4, 3));
            byte[] original = File.ReadAllBytes(path);
            for (int i = 0; i < 2000; i++)
            {
                byte[] mutated = (byte[])original.Clone();
                for (int flips = random.Next(1, 6); flips > 0; flips--) mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                try { _ = PcapReader.Read(new MemoryStream(mutated)).Sum(p => p.Data.Length); }
                catch (PcapFormatException) { }
            }
        }
        Assert.Throws<PcapFormatException>(() => PcapReader.Read(new MemoryStream([1, 2, 3, 4])).ToList());
        Assert.Throws<PcapFormatException>(() => PcapReader.Read(new MemoryStream()).ToList());
    }

    private static void Write(string path, string format, List<(byte[] Data, DateTimeOffset Time)> packets)
    {
        using FileStream file = File.Create(path);
        if (format == "pcapng")
        {
            using var w = new PcapNgWriter(file, PcapLinkType.Ethernet, "test0", leaveOpen: true);
            foreach (var (data, time) in packets) w.Write(data, time);
        }
        else
        {
            using var w = new PcapWriter(file, PcapLinkType.Ethernet, nanosecond: format == "pcap-ns", leaveOpen: true);
            foreach (var (data, time) in packets) w.Write(data, time);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
