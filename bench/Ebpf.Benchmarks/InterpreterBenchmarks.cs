using BenchmarkDotNet.Attributes;
using Ebpf.Vm;
using Ebpf.Vm.Helpers;

namespace Ebpf.Benchmarks;

/// <summary>
/// The interpreter's cost per executed instruction. Each benchmark runs a whole program; OperationsPerInvoke is
/// the number of instructions it executes, so BenchmarkDotNet's Mean column is nanoseconds per instruction and
/// Allocated is bytes per instruction (0: runs do not allocate).
/// </summary>
[MemoryDiagnoser]
public class InterpreterBenchmarks
{
    private VmProgram _alu = null!;
    private VmProgram _memory = null!;
    private VmProgram _helper = null!;
    private readonly byte[] _data = new byte[64];

    /// <summary>Loads the three programs and checks they compute what they should.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var helpers = new HelperTable();
        helpers.Register(BenchmarkPrograms.IncrementHelper, static (_, r1, _, _, _, _) => r1 + 1);
        var options = new VmOptions { Helpers = helpers };
        _alu = VmProgram.Load(BenchmarkPrograms.AluLoop(), options);
        _memory = VmProgram.Load(BenchmarkPrograms.MemoryLoop(), options);
        _helper = VmProgram.Load(BenchmarkPrograms.HelperLoop(), options);
        for (int i = 0; i < _data.Length; i++) _data[i] = (byte)i;
        if (_helper.Run() != BenchmarkPrograms.Iterations) throw new InvalidOperationException("helper loop computed the wrong value");
    }

    /// <summary>Arithmetic loop.</summary>
    [Benchmark(OperationsPerInvoke = BenchmarkPrograms.AluExecuted)]
    public ulong AluLoop() => _alu.Run();

    /// <summary>Loads from a host region plus a stack store.</summary>
    [Benchmark(OperationsPerInvoke = BenchmarkPrograms.MemoryExecuted)]
    public ulong MemoryLoadLoop() => _memory.Run(_data);

    /// <summary>A helper call every five instructions.</summary>
    [Benchmark(OperationsPerInvoke = BenchmarkPrograms.HelperExecuted)]
    public ulong HelperCallLoop() => _helper.Run();
}
