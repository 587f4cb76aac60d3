using Ebpf.Asm;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>BPF_PROG_TEST_RUN of programs built with Instruction factories.</summary>
public sealed class TestRunTests
{
    public TestRunTests() => KernelAssert.RequireRoot();

    /// <summary>XDP: if the packet has a byte, overwrite it with 0xff and return XDP_TX; else XDP_DROP.</summary>
    private static KernelProgram MarkAndBounce() => ProgramLoader.Load(new ProgramLoadOptions
    {
        Type = ProgramType.Xdp,
        Name = "t_mark",
        Instructions = new[]
        {
            Instruction.LoadMemory(MemorySize.Word, Register.R2, Register.R1, 0),      // r2 = ctx->data
            Instruction.LoadMemory(MemorySize.Word, Register.R3, Register.R1, 4),      // r3 = ctx->data_end
            Instruction.Mov(Register.R4, Register.R2),
            Instruction.Alu(AluOperation.Add, Register.R4, 1),
            Instruction.Jump(JumpOperation.Jgt, Register.R4, Register.R3, 3),          // too short: drop
            Instruction.StoreImmediate(MemorySize.Byte, Register.R2, 0, 0xff),
            Instruction.Mov(Register.R0, 3),                                           // XDP_TX
            Instruction.Exit(),
            Instruction.Mov(Register.R0, 1),                                           // XDP_DROP
            Instruction.Exit(),
        },
    });

    [Fact]
    public void Xdp_ReturnsActionAndRewrittenPacket()
    {
        using var prog = MarkAndBounce();
        byte[] packet = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        TestRunResult result = prog.TestRun(new TestRunOptions { Data = packet, Repeat = 100 });
        Assert.Equal(3u, result.ReturnValue);
        Assert.Equal(64, result.Data.Length);
        Assert.Equal(0xff, result.Data[0]);
        Assert.Equal(packet[1..], result.Data[1..]);
        Assert.True(result.Duration >= TimeSpan.Zero);
    }

    [Fact]
    public void Xdp_ZeroAllocationOverload()
    {
        using var prog = MarkAndBounce();
        Span<byte> packet = stackalloc byte[32];
        Span<byte> output = stackalloc byte[64];
        uint action = prog.TestRun(packet, output, out int length, out _);
        Assert.Equal(3u, action);
        Assert.Equal(32, length);
        Assert.Equal(0xff, output[0]);
    }

    [Fact]
    public void Xdp_PacketTooShortForTheKernel_IsEINVAL()
    {
        using var prog = MarkAndBounce();
        // XDP test runs need at least an Ethernet header (14 bytes) since Linux 5.x; 5.10 still ran them.
        BpfException? refused = null;
        try { prog.TestRun(new TestRunOptions { Data = new byte[4] }); }
        catch (BpfException x) { refused = x; }
        if (refused is null && !KernelAssert.ReleaseAtLeast("6.1"))
            Assert.Skip($"Linux {KernelAssert.KernelRelease} runs XDP tests on packets shorter than an Ethernet header");
        var e = Assert.IsType<BpfException>(refused);
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("test run of program 't_mark'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputBufferTooSmall_SaysHowMuchIsNeeded()
    {
        using var prog = MarkAndBounce();
        var e = Assert.Throws<BpfException>(() => prog.TestRun(new TestRunOptions { Data = new byte[64], DataOutSize = 10 }));
        Assert.Equal(Errno.ENOSPC, e.Errno);
        Assert.Contains("needs 64 data bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syscall_Program_ReadsItsContext()
    {
        // A syscall program's context is whatever the caller passes: return its first u32 plus one.
        using var prog = KernelAssert.RunOrSkip(() => ProgramLoader.Load(new ProgramLoadOptions
        {
            Type = ProgramType.Syscall, Name = "t_syscall", Flags = ProgramLoadFlags.Sleepable,
            Instructions = new[]
            {
                Instruction.LoadMemory(MemorySize.Word, Register.R0, Register.R1, 0),
                Instruction.Alu(AluOperation.Add, Register.R0, 1),
                Instruction.Exit(),
            },
        }));
        TestRunResult result = prog.TestRun(new TestRunOptions { Context = BitConverter.GetBytes(41u) });
        Assert.Equal(42u, result.ReturnValue);
    }
}
