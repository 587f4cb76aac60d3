using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Ebpf.Asm;
using Ebpf.Benchmarks;

// --dump-programs DIR writes the benchmark programs as raw instruction streams (for the uBPF driver).
if (args.Length == 2 && args[0] == "--dump-programs")
{
    Directory.CreateDirectory(args[1]);
    File.WriteAllBytes(Path.Combine(args[1], "alu.bin"), InstructionStream.Encode(BenchmarkPrograms.AluLoop()));
    File.WriteAllBytes(Path.Combine(args[1], "memory.bin"), InstructionStream.Encode(BenchmarkPrograms.MemoryLoop()));
    // The executed counts, and r0 as this VM computes it, to compare with what uBPF prints.
    byte[] data = [.. Enumerable.Range(0, 64).Select(i => (byte)i)];
    Console.WriteLine($"alu.bin executes {BenchmarkPrograms.AluExecuted}, r0={Ebpf.Vm.VmProgram.Load(BenchmarkPrograms.AluLoop()).Run()}");
    Console.WriteLine($"memory.bin executes {BenchmarkPrograms.MemoryExecuted}, r0={Ebpf.Vm.VmProgram.Load(BenchmarkPrograms.MemoryLoop()).Run(data)}");
    return;
}

// --map-lookup: a hash lookup from a program, VM vs the kernel's JIT (the kernel's own test-run duration), best of 20.
if (args.Length == 1 && args[0] == "--map-lookup")
{
    var bench = new Ebpf.Benchmarks.MapLookupBenchmarks();
    bench.Setup();
    var (vmNs, kernelNs) = bench.CompareBest(20);
    Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"lookup loop iteration: vm {vmNs:F1} ns, kernel {kernelNs:F1} ns, vm/kernel {vmNs / kernelNs:F2}"));
    bench.Cleanup();
    return;
}

// --kernel-maps OBJECT [LOADS]: the managed side of bench/libbpf-maps/run.sh (needs root).
if (args.Length >= 2 && args[0] == "--kernel-maps")
{
    KernelMapHarness.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50);
    return;
}

// In-process: no child project build, so the benchmarks run from any artifacts path while others build the tree.
var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(InterpreterBenchmarks).Assembly).Run(args, config);
