using System.Text.Json;
using Ebpf.Cli.Tests.Compatibility;
using Ebpf.Testing;
using Ebpf.Vm.Pcap;

namespace Ebpf.Cli.Tests.Commands;

/// <summary><c>ebpf run OBJ --pcap</c>: a capture through an XDP program, in the VM and in the kernel.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ebpf-run-").FullName;

    // 40 frames: every third a UDP datagram to port 53 (dropped), the rest UDP to 5353, TCP or ARP (passed).
    private string Capture(out int dns)
    {
        string path = Path.Combine(_dir, "in.pcap");
        using var writer = PcapWriter.Create(path);
        dns = 0;
        for (int i = 0; i < 40; i++)
        {
            byte[] frame = new byte[60];
            frame[12] = 0x08;
            if (i % 7 == 6) frame[13] = 0x06;                            // ARP
            else
            {
                frame[14] = 0x45;
                frame[23] = (byte)(i % 5 == 4 ? 6 : 17);                  // TCP or UDP
                int port = i % 3 == 0 ? 53 : 5353;
                frame[36] = (byte)(port >> 8);
                frame[37] = (byte)port;
                if (frame[23] == 17 && port == 53) dns++;
            }
            writer.Write(frame, DateTimeOffset.UnixEpoch.AddSeconds(i));
        }
        return path;
    }

    [Theory]
    [InlineData("interpreter")]
    [InlineData("kernel")]
    public void Run_CountsVerdicts_WritesPassedPackets_AndShowsTheMaps(string engine)
    {
        if (engine == "kernel") KernelAssert.RequireRoot();
        string capture = Capture(out int dns), passed = Path.Combine(_dir, $"passed-{engine}.pcapng");
        JsonElement result = Tools.EbpfJson("run", RepoPaths.BpfObject("xdp_drop_udp53.o"), "--pcap", capture, "--out", passed, "--engine", engine);
        Assert.Equal("xdp_drop_udp53", result.GetProperty("program").GetString());
        Assert.Equal(40, result.GetProperty("packets").GetInt32());
        Assert.Equal(dns, result.GetProperty("verdicts").GetProperty("XDP_DROP").GetInt32());
        Assert.Equal(40 - dns, result.GetProperty("verdicts").GetProperty("XDP_PASS").GetInt32());
        Assert.Equal(40 - dns, PcapReader.ReadFile(passed).Count());
        // drop_stats: per-CPU counters of passed [0] and dropped [1]; summed over CPUs they are the verdict counts.
        JsonElement stats = result.GetProperty("maps").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "drop_stats");
        long[] sums = [.. stats.GetProperty("entries").EnumerateArray().Select(e => SumPerCpu(e.GetProperty("value").GetString()!))];
        Assert.Equal([40 - dns, dns], sums);
    }

    [Fact]
    public void Run_Errors_SayWhatIsWrong()
    {
        var (code, _, stderr) = CliProcess.Run("", "run", RepoPaths.BpfObject("xdp_drop_udp53.o"), "--pcap", Path.Combine(_dir, "missing.pcap"));
        Assert.NotEqual(0, code);
        Assert.Contains("missing.pcap", stderr, StringComparison.Ordinal);
        (code, _, stderr) = CliProcess.Run("", "run", RepoPaths.BpfObject("tests/tc_pass.o"), "--pcap", Capture(out _));
        Assert.NotEqual(0, code);
        Assert.Contains("no XDP program", stderr, StringComparison.Ordinal);
    }

    private static long SumPerCpu(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        long sum = 0;
        for (int at = 0; at + 8 <= bytes.Length; at += 8) sum += BitConverter.ToInt64(bytes, at);
        return sum;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
