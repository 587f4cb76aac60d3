using System.Text;
using System.Text.Json;
using Ebpf.Asm;
using Ebpf.Linux;
using Ebpf.Testing;

namespace Ebpf.Cli.Tests.Commands;

/// <summary>
/// <c>ebpf map event_pipe</c> and <c>ebpf prog tracelog</c> against real producers: bpf/tests/events.c's XDP programs
/// run (BPF_PROG_TEST_RUN) in the test process while the command runs as its own process.
/// </summary>
[Collection(nameof(EventPipeCollection))]
public sealed class EventPipeCommandTests
{
    public EventPipeCommandTests() => KernelAssert.RequireRoot();

    private static void RunOnce(KernelProgram prog) => prog.TestRun(new byte[64], new byte[64 + 4096], out _, out _, 1);

    /// <summary>Runs the command while running <paramref name="prog"/> every 50 ms until it exits.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunWhileProducing(KernelProgram prog, params string[] args)
    {
        var cli = Task.Run(() => CliProcess.Run("", args), TestContext.Current.CancellationToken);
        while (!cli.IsCompleted)
        {
            RunOnce(prog);
            await Task.WhenAny(cli, Task.Delay(50, TestContext.Current.CancellationToken));
        }
        return await cli;
    }

    [Fact]
    public async Task EventPipe_RingBuffer_ByPin_PrintsHexAndTypedFields_ThenCounts()
    {
        using var collection = KernelCollection.Load(CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/events.o")));
        using var dir = new BpfFsDirectory();
        collection.Map("events_rb").Pin(dir["rb"]);
        var (code, stdout, stderr) = await RunWhileProducing(collection.Program("emit_rb"), "map", "event_pipe", "pinned", dir["rb"], "--count", "3", "--timeout", "30");
        Assert.True(code == 0, stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        // seq 0: 00 00 00 00 00 00 00 00, then cpu, magic 0xeb9f, "ebpf-net-events"
        Assert.StartsWith("00 00 00 00 00 00 00 00 ", lines[0], StringComparison.Ordinal);
        Assert.Contains("9f eb 00 00 65 62 70 66", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"seq\":0,", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"seq\":2,", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"magic\":60319,\"comm\":\"ebpf-net-events\"", lines[1], StringComparison.Ordinal);
        Assert.Equal("received 3, lost 0", lines[3]);
    }

    [Fact]
    public async Task EventPipe_PerfArray_ByName_Json_WithCpuIndex()
    {
        using var collection = KernelCollection.Load(CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/events.o")));
        KernelProgram prog = collection.Program("emit_perf");
        var cli = Task.Run(() => CliProcess.Run("", "map", "event_pipe", "id", collection.Map("events_perf").Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "cpu", "0", "index", "0", "-j", "--count", "2", "--timeout", "30"), TestContext.Current.CancellationToken);
        // Only CPU 0's ring exists: produce on CPU 0.
        var producer = Task.Factory.StartNew(() =>
        {
            CpuPinning.PinCurrentThread(0);
            while (!cli.IsCompleted)
            {
                RunOnce(prog);
                Thread.Sleep(50);
            }
        }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var (code, stdout, stderr) = await cli;
        await producer;
        Assert.True(code == 0, stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(0, first.RootElement.GetProperty("cpu").GetInt32());
        Assert.Equal(36, first.RootElement.GetProperty("size").GetInt32());             // 32 bytes padded by the kernel
        Assert.Equal("0x9f", first.RootElement.GetProperty("data")[12].GetString());
        JsonElement formatted = first.RootElement.GetProperty("formatted");
        Assert.Equal(0, formatted.GetProperty("cpu").GetInt32());
        Assert.Equal("ebpf-net-events", formatted.GetProperty("comm").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.True(second.RootElement.GetProperty("formatted").GetProperty("seq").GetUInt64() > formatted.GetProperty("seq").GetUInt64());
        using var last = JsonDocument.Parse(lines[2]);
        Assert.Equal(2, last.RootElement.GetProperty("received").GetInt64());
        Assert.Equal(0, last.RootElement.GetProperty("lost").GetInt64());
    }

    [Fact]
    public void EventPipe_WrongMapType_OrBadArguments_SayWhy()
    {
        using var array = KernelMap.Create(MapType.Array, 4, 4, 1, "t_ep_array");
        var (code, _, stderr) = CliProcess.Run("", "map", "event_pipe", "id", array.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout", "5");
        Assert.Equal(1, code);
        Assert.Contains("expected a perf_event_array or a ringbuf", stderr, StringComparison.Ordinal);
        (code, _, stderr) = CliProcess.Run("", "map", "event_pipe", "id", "1", "cpu", "0");
        Assert.Equal(1, code);
        Assert.Contains("cpu and index go together", stderr, StringComparison.Ordinal);
        (code, _, stderr) = CliProcess.Run("", "map", "event_pipe", "name", "t_no_such_map_x");
        Assert.Equal(1, code);
        Assert.Contains("no map named 't_no_such_map_x'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tracelog_Json_ParsesPrintkLines()
    {
        if (!File.Exists("/sys/kernel/tracing/trace_pipe") && !File.Exists("/sys/kernel/debug/tracing/trace_pipe")) Assert.Skip("tracefs is not mounted");
        string marker = $"ebpfnet-cli-{Guid.NewGuid():N}"[..24];
        byte[] fmt = Encoding.ASCII.GetBytes(marker + " %d\n\0");
        int length = fmt.Length;   // before 5.13 bpf_trace_printk refuses a format with NUL padding before its end
        int size = (fmt.Length + 7) & ~7;
        Array.Resize(ref fmt, size);
        var b = new ProgramBuilder();
        for (int off = 0; off < size; off += 8)
            b.LoadImm64(Register.R1, BitConverter.ToUInt64(fmt, off)).Store(MemorySize.DoubleWord, Register.R10, (short)(-size + off), Register.R1);
        b.Mov(Register.R1, Register.R10).Add(Register.R1, -size).Mov(Register.R2, length).Mov(Register.R3, 7).Call(6).Mov(Register.R0, 2).Exit();
        using var prog = ProgramLoader.Load(new ProgramLoadOptions { Type = ProgramType.Xdp, Name = "t_cli_printk", Instructions = b.Build() });
        var (code, stdout, stderr) = await RunWhileProducing(prog, "prog", "tracelog", "-j", "--grep", marker, "--count", "2", "--timeout", "30");
        Assert.True(code == 0, stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var doc = JsonDocument.Parse(lines[0]);
        Assert.Equal($"{marker} 7", doc.RootElement.GetProperty("message").GetString());
        Assert.True(doc.RootElement.GetProperty("pid").GetInt32() > 0);   // the producing thread of this test process
        Assert.Contains("bpf_trace_printk", doc.RootElement.GetProperty("function").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>trace_pipe allows one reader; the event tests run one at a time.</summary>
[CollectionDefinition(nameof(EventPipeCollection), DisableParallelization = true)]
public sealed class EventPipeCollection;
