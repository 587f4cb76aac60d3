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
