using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace Ebpf.Benchmarks;

/// <summary>
/// Opening a clang-built object into a <see cref="CollectionSpec"/> (ELF, BTF, .BTF.ext, relocations, subprogram
/// linking): bpf/tests/many_programs.o (100 programs). Issue #5 asks for milliseconds. bpftool has no "open only"
/// command (loadall also loads into the kernel), so the row beside it is `llvm-readelf -S` of the same file as a
/// process: the cost of merely starting a native tool that reads the object.
/// </summary>
[MemoryDiagnoser]
public class ObjectOpenBenchmarks
{
    private string _object = "";
    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _object = FindObject("tests/many_programs.o");
        _bytes = File.ReadAllBytes(_object);
    }

    [Benchmark(Description = "CollectionSpec.Load(many_programs.o: 100 programs)")]
    public int Open() => CollectionSpec.Load(_bytes).Programs.Count();

    [Benchmark(Baseline = true, Description = "llvm-readelf -S many_programs.o (process)")]
    public int ReadElf()
    {
        var psi = new ProcessStartInfo("llvm-readelf") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-S");
        psi.ArgumentList.Add(_object);
        using Process p = Process.Start(psi)!;
        int n = p.StandardOutput.ReadToEnd().Length;
        p.WaitForExit();
        return n;
    }

    // The benchmark runs from artifacts/bin/Ebpf.Benchmarks/release: the objects are in artifacts/bpf.
    private static string FindObject(string relative)
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "bpf", relative);
            if (File.Exists(candidate)) return candidate;
            candidate = Path.Combine(dir, "artifacts", "bpf", relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}: build the repository first");
    }
}
