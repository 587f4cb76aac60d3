using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Ebpf.Btf;

namespace Ebpf.Benchmarks;

/// <summary>
/// Parse /sys/kernel/btf/vmlinux and write it as C, against `bpftool btf dump file ... format c` timed in the same
/// run (the bpftool row includes its process start, as a user pays it; so does nothing on our side, which is
/// measured warm — the cold CLI figure is in docs/PERFORMANCE.md).
/// </summary>
[MemoryDiagnoser]
public class BtfBenchmarks
{
    private const string Vmlinux = "/sys/kernel/btf/vmlinux";
    private byte[] _btf = [];
    private BtfSpec? _spec;

    [GlobalSetup]
    public void Setup()
    {
        _btf = File.ReadAllBytes(Vmlinux);
        _spec = BtfReader.Parse(_btf);
    }

    [Benchmark(Description = "parse vmlinux BTF")]
    public int Parse() => BtfReader.Parse(_btf).TypeCount;

    [Benchmark(Description = "format vmlinux.h (parsed)")]
    public void FormatC() => BtfCFormatter.Write(_spec!, TextWriter.Null);

    [Benchmark(Description = "parse + format vmlinux.h")]
    public void ParseAndFormatC() => BtfCFormatter.Write(BtfReader.Parse(_btf), TextWriter.Null);

    [Benchmark(Baseline = true, Description = "bpftool btf dump format c > /dev/null")]
    public int Bpftool()
    {
        var psi = new ProcessStartInfo("bpftool") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "btf", "dump", "file", Vmlinux, "format", "c" }) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        p.StandardOutput.BaseStream.CopyTo(Stream.Null);
        p.WaitForExit();
        return p.ExitCode;
    }
}
