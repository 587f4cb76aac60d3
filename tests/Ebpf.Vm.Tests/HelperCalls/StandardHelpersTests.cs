using System.Text;
using Ebpf.Asm;
using Ebpf.Vm.Helpers;

namespace Ebpf.Vm.Tests.HelperCalls;

public sealed class StandardHelpersTests
{
    [Fact]
    public void TracePrintk_FormatsLikeTheKernel_IntoTheSink()
    {
        var lines = new List<string>();
        var program = VmProgram.Load(new ProgramBuilder()
            .Mov(Register.R6, Register.R1)             // the memory: format at 0, a string at 32
            .Mov(Register.R2, 32)
            .Mov(Register.R3, -5)
            .Mov(Register.R4, Register.R6).Add(Register.R4, 32)
            .Mov(Register.R5, 255)
            .Call(StandardHelpers.TracePrintk)
            .Exit()
            .Build(), new VmOptions { Helpers = StandardHelpers.Register(new HelperTable(), lines.Add) });
        byte[] memory = new byte[64];
        Encoding.ASCII.GetBytes("n=%d s=%s x=%llx %%\0").CopyTo(memory, 0);
        Encoding.ASCII.GetBytes("hello\0").CopyTo(memory, 32);
        ulong written = program.Run(memory);
        Assert.Equal(["n=-5 s=hello x=ff %"], lines);
        Assert.Equal((ulong)lines[0].Length, written);
    }

    [Fact]
    public void TracePrintk_WithoutTerminatingNul_IsEinval()
    {
        var program = VmProgram.Load(new ProgramBuilder().Mov(Register.R2, 4).Call(StandardHelpers.TracePrintk).Exit().Build(),
            new VmOptions { Helpers = StandardHelpers.Register(new HelperTable()) });
        Assert.Equal(unchecked((ulong)-22L), program.Run("abcd"u8.ToArray()));
    }

    [Fact]
    public void SmpProcessorId_IsTheRunsCpu_AndPidTgidIsThisProcess()
    {
        var options = new VmOptions { Cpu = 3, Helpers = StandardHelpers.Register(new HelperTable()) };
        Assert.Equal(3UL, VmProgram.Load(new ProgramBuilder().Call(StandardHelpers.GetSmpProcessorId).Exit().Build(), options).Run());
        ulong pidTgid = VmProgram.Load(new ProgramBuilder().Call(StandardHelpers.GetCurrentPidTgid).Exit().Build(), options).Run();
        Assert.Equal((ulong)Environment.ProcessId, pidTgid >> 32);
    }
}

public sealed class BpfLoopTests
{
    // main: bpf_loop(r6 loops, callback, ctx = &counter on the stack, flags); r0 = loops run, counter after.
    // callback(i, ctx): *ctx += 1; return i == 4 (stop after the fifth).
    private static VmProgram Program(int loops, int flags) => VmProgram.Load(new ProgramBuilder()
        .Store(MemorySize.DoubleWord, Register.R10, -8, 0)
        .Mov(Register.R1, loops)
        .LoadImm64(Register.R2, LoadImmediateSource.Func, 9)       // slot 2 + 1 + 9 = 12: the callback
        .Mov(Register.R3, Register.R10).Add(Register.R3, -8)
        .Mov(Register.R4, flags)
        .Call(StandardHelpers.Loop)
        .Load(MemorySize.DoubleWord, Register.R1, Register.R10, -8)
        .Alu(AluOperation.Lsh, Register.R1, 32)
        .Alu(AluOperation.Or, Register.R0, Register.R1)             // r0 = counter << 32 | loops run
        .Exit()
        // callback at slot 12
        .Load(MemorySize.DoubleWord, Register.R3, Register.R2, 0).Add(Register.R3, 1).Store(MemorySize.DoubleWord, Register.R2, 0, Register.R3)
        .Mov(Register.R0, 0)
        .JumpIf(JumpOperation.Jne, Register.R1, 4, "out")
        .Mov(Register.R0, 1)
        .Label("out")
        .Exit()
        .Build(), new VmOptions { Helpers = StandardHelpers.Register(new HelperTable()) });

    [Fact]
    public void Callback_RunsPerIteration_AndStopsWhenItAnswers1()
    {
        Assert.Equal((3UL << 32) | 3, Program(3, 0).Run());     // three iterations, none stops
        Assert.Equal((5UL << 32) | 5, Program(100, 0).Run());   // the fifth (i == 4) stops the loop
    }

    [Fact]
    public void BadFlags_AreEinval()
    {
        Assert.Equal(unchecked((uint)-22), (uint)Program(3, 1).Run());
    }
}
