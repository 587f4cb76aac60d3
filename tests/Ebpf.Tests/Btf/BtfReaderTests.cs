using Ebpf.Btf;
using Ebpf.Testing;

namespace Ebpf.Tests.Btf;

public class BtfReaderTests
{
    private const string Vmlinux = "/sys/kernel/btf/vmlinux";

    [Fact]
    public void Vmlinux_RawDump_EqualsBpftool()
    {
        if (!File.Exists(Vmlinux)) Assert.Skip($"{Vmlinux} is absent: the kernel was built without CONFIG_DEBUG_INFO_BTF");
        BtfSpec spec = BtfReader.Parse(File.ReadAllBytes(Vmlinux));
        string expected = ExternalTool.Run("bpftool", "btf", "dump", "file", Vmlinux, "format", "raw");
        string actual = BtfRawFormatter.Format(spec);
        Assert.Equal(expected.Split('\n').Length, actual.Split('\n').Length);
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        for (int i = 0; i < e.Length; i++)
            Assert.True(e[i] == a[i], $"line {i + 1}: bpftool '{e[i]}' vs ours '{a[i]}'");
    }

    [Fact]
    public void Vmlinux_FindsWellKnownTypes()
    {
        if (!File.Exists(Vmlinux)) Assert.Skip($"{Vmlinux} is absent");
        BtfSpec spec = BtfReader.Parse(File.ReadAllBytes(Vmlinux));
        var task = spec.Find<BtfStruct>("task_struct", BtfKind.Struct);
        Assert.Contains(task.Members, m => m.Name == "pid");
        var xdp = spec.Find<BtfStruct>("xdp_md", BtfKind.Struct);
        Assert.Equal(24u, xdp.Size);
        Assert.Equal(8UL, spec.SizeOf(spec.FindByName("u64")[0]));
    }

    [Theory]
    [InlineData(new byte[] { 0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 }, null)]
    [InlineData(new byte[] { 0x9f, 0xeb, 2, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 }, "version")]
    [InlineData(new byte[] { 0xeb, 0x9f, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 }, "big-endian")]
    [InlineData(new byte[] { 0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 }, "type section")]
    [InlineData(new byte[] { 0x9f, 0xeb, 1 }, "shorter")]
    public void MalformedHeader_GivesBtfFormatException(byte[] data, string? expected)
    {
        if (expected is null)
        {
            Assert.Empty(BtfReader.Parse(data).OwnTypes);
            return;
        }
        var e = Assert.Throws<BtfFormatException>(() => BtfReader.Parse(data));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void DanglingReference_NamesTheType()
    {
        // One PTR (kind 2) to type 7, which does not exist.
        byte[] data = [0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0,
                       0, 0, 0, 0, 0, 0, 0, 2, 7, 0, 0, 0, 0];
        var e = Assert.Throws<BtfFormatException>(() => BtfReader.Parse(data));
        Assert.Contains("refers to type 7", e.Message);
    }

    [Fact]
    public void Fuzz_MutatedVmlinuxPrefix_OnlyBtfFormatException()
    {
        if (!File.Exists(Vmlinux)) Assert.Skip($"{Vmlinux} is absent");
        byte[] original = File.ReadAllBytes(Vmlinux);
        // A small valid BTF: the kernel's header and strings with only the first types, so each run is quick.
        var random = new Random(1234);
        int failures = 0;
        for (int round = 0; round < 3000; round++)
        {
            byte[] data = original.AsSpan(0, Math.Min(original.Length, 4096 + random.Next(4096))).ToArray();
            int flips = 1 + random.Next(8);
            for (int i = 0; i < flips; i++) data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
            try { BtfReader.Parse(data); }
            catch (BtfFormatException) { failures++; }
        }
        Assert.True(failures > 0, "truncated BTF must be rejected at least sometimes");
    }
}

public class BtfWriterTests
{
    [Fact]
    public void Vmlinux_WriteThenRead_IsTheSameBtf()
    {
        const string vmlinux = "/sys/kernel/btf/vmlinux";
        if (!File.Exists(vmlinux)) Assert.Skip($"{vmlinux} is absent");
        BtfSpec original = BtfReader.Parse(File.ReadAllBytes(vmlinux));
        byte[] written = BtfWriter.Write(original);
        BtfSpec again = BtfReader.Parse(written);
        Assert.Equal(original.TypeCount, again.TypeCount);
        Assert.Equal(BtfRawFormatter.Format(original), BtfRawFormatter.Format(again));
        // Deduplicated strings never make the section bigger than the kernel's (already deduplicated) one.
        Assert.True(written.Length <= File.ReadAllBytes(vmlinux).Length, $"{written.Length} bytes written");
    }
}
