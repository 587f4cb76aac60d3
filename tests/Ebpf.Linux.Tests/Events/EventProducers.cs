using Ebpf.Asm;

namespace Ebpf.Linux.Tests.Events;

/// <summary>
/// XDP programs that emit one numbered event per run, driven by BPF_PROG_TEST_RUN with a repeat count: a real kernel
/// producer that needs no attach point. Counters (array map, one u64[3] value): [0] sequence numbers handed out,
/// [1] events written, [2] events the kernel refused (ring full).
/// </summary>
internal static class EventProducers
{
    internal const int XdpPass = 2;

    /// <summary>The counters map: key 0 -> { next sequence, written, dropped }.</summary>
    internal static KernelMap Counters() => KernelMap.Create(MapType.Array, 4, 24, 1, "t_ev_counters");

    internal static (ulong Produced, ulong Written, ulong Dropped) Read(KernelMap counters)
    {
        var value = new byte[24];
        Assert.True(counters.TryLookup(BitConverter.GetBytes(0u), value));
        return (BitConverter.ToUInt64(value, 0), BitConverter.ToUInt64(value, 8), BitConverter.ToUInt64(value, 16));
    }

    /// <summary>Reserves a <paramref name="recordSize"/>-byte record, writes { seq, seq ^ marker } at its start, submits.</summary>
    internal static KernelProgram RingBufferProducer(KernelMap ring, KernelMap counters, int recordSize)
    {
        var b = Prologue(counters);
        using var rl = ring.Handle.Lease(out uint ringFd);
        b.LoadMapFd(Register.R1, (int)ringFd).Mov(Register.R2, recordSize).Mov(Register.R3, 0)
         .Call(131)                                                       // bpf_ringbuf_reserve
         .JumpIf(JumpOperation.Jeq, Register.R0, 0, "fail")
         .Mov(Register.R9, Register.R0)
         .Store(MemorySize.DoubleWord, Register.R9, 0, Register.R8)
         .Mov(Register.R1, Register.R8).Alu(AluOperation.Xor, Register.R1, Marker)
         .Store(MemorySize.DoubleWord, Register.R9, 8, Register.R1)
         .Mov(Register.R1, Register.R9).Mov(Register.R2, 0)
         .Call(132);                                                      // bpf_ringbuf_submit
        return Epilogue(b, "t_rb_prod");
    }

    /// <summary>
    /// bpf_perf_event_output(ctx, map, BPF_F_CURRENT_CPU, buf, <paramref name="recordSize"/>) with buf = { seq, seq ^ marker, 0... }
    /// on the stack (zeroed first: helpers read only initialized stack).
    /// </summary>
    internal static KernelProgram PerfProducer(KernelMap perf, KernelMap counters, int recordSize = 16)
    {
        if (recordSize < 16 || recordSize > 256 || recordSize % 8 != 0) throw new ArgumentOutOfRangeException(nameof(recordSize));
        var b = Prologue(counters);
        using var pl = perf.Handle.Lease(out uint perfFd);
        for (int off = 16; off < recordSize; off += 8) b.Store(MemorySize.DoubleWord, Register.R10, (short)(-recordSize + off), 0);
        b.Store(MemorySize.DoubleWord, Register.R10, (short)-recordSize, Register.R8)
         .Mov(Register.R1, Register.R8).Alu(AluOperation.Xor, Register.R1, Marker)
         .Store(MemorySize.DoubleWord, Register.R10, (short)(-recordSize + 8), Register.R1)
         .Mov(Register.R1, Register.R6)
         .LoadMapFd(Register.R2, (int)perfFd)
         .LoadImm64(Register.R3, 0xffffffffUL)                            // BPF_F_CURRENT_CPU
         .Mov(Register.R4, Register.R10).Add(Register.R4, -recordSize)
         .Mov(Register.R5, recordSize)
         .Call(25)                                                        // bpf_perf_event_output
         .JumpIf(JumpOperation.Jne, Register.R0, 0, "fail");
        return Epilogue(b, "t_perf_prod");
    }

    internal const int Marker = 0x5a5a5a5a;

    private static ProgramBuilder Prologue(KernelMap counters)
    {
        var b = new ProgramBuilder();
        using var cl = counters.Handle.Lease(out uint countersFd);
        return b.Mov(Register.R6, Register.R1)
            .Store(MemorySize.Word, Register.R10, -4, 0)
            .Mov(Register.R2, Register.R10).Add(Register.R2, -4)
            .LoadMapFd(Register.R1, (int)countersFd)
            .Call(1)                                                      // bpf_map_lookup_elem
            .JumpIf(JumpOperation.Jeq, Register.R0, 0, "out")
            .Mov(Register.R7, Register.R0)
            // r8 = seq++. Not an atomic fetch-add: BPF_FETCH needs Linux 5.12, and one producer runs at a time
            // (test runs execute sequentially), so a plain load and store count exactly.
            .Load(MemorySize.DoubleWord, Register.R8, Register.R7, 0)
            .Mov(Register.R1, Register.R8).Add(Register.R1, 1)
            .Store(MemorySize.DoubleWord, Register.R7, 0, Register.R1);
    }

    private static KernelProgram Epilogue(ProgramBuilder b, string name)
    {
        b.Mov(Register.R1, 1).Atomic(AtomicOperation.Add, MemorySize.DoubleWord, Register.R7, 8, Register.R1).Jump("out")
         .Label("fail").Mov(Register.R1, 1).Atomic(AtomicOperation.Add, MemorySize.DoubleWord, Register.R7, 16, Register.R1)
         .Label("out").Mov(Register.R0, XdpPass).Exit();
        return ProgramLoader.Load(new ProgramLoadOptions { Type = ProgramType.Xdp, Name = name, Instructions = b.Build() });
    }

    /// <summary>Runs <paramref name="program"/> <paramref name="runs"/> times in batches of test runs.</summary>
    internal static void Run(KernelProgram program, int runs, int batch = 100_000)
    {
        var packet = new byte[64];
        var output = new byte[64 + 4096];
        for (int done = 0; done < runs; done += batch)
            program.TestRun(packet, output, out _, out _, Math.Min(batch, runs - done));
    }
}
