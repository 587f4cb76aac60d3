using Ebpf.Asm;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>BPF_PROG_LOAD and the verifier log: complete however large, with the failing instruction.</summary>
public sealed class ProgramLoadTests
{
    public ProgramLoadTests() => KernelAssert.RequireRoot();

    [Fact]
    public void Load_Valid_ReturnsProgramWithIdAndTag()
    {
        Instruction[] insns = [Instruction.Mov(Register.R0, 2), Instruction.Exit()];
        using var prog = ProgramLoader.Load(new ProgramLoadOptions { Type = ProgramType.Xdp, Name = "t_pass", Instructions = insns });
        Assert.Equal(ProgramType.Xdp, prog.Type);
        Assert.Equal("t_pass", prog.Name);
        Assert.Null(prog.VerifierLog);
        ProgramInfo info = prog.Info();
        Assert.Equal(prog.Id, info.Id);
        Assert.Equal(KernelProgramTag.Compute(insns), info.Tag);
        Assert.True(info.GplCompatible);
    }

    [Fact]
    public void Load_WithLogLevel_KeepsTheVerifierLog()
    {
        using var prog = ProgramLoader.Load(new ProgramLoadOptions
        {
            Type = ProgramType.SocketFilter, Name = "t_logged", LogLevel = VerifierLogLevel.Basic | VerifierLogLevel.Stats,
            Instructions = new[] { Instruction.Mov(Register.R0, 0), Instruction.Exit() },
        });
        Assert.NotNull(prog.VerifierLog);
        Assert.Contains("processed 2 insns", prog.VerifierLog, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejected_WithoutLogLevel_StillExplainsWhy()
    {
        Instruction[] insns = [Instruction.Mov(Register.R0, 0), Instruction.Mov(Register.R0, Register.R5), Instruction.Exit()];
        var e = Assert.Throws<BpfVerifierException>(() => ProgramLoader.Load(new ProgramLoadOptions
        {
            Type = ProgramType.SocketFilter, Name = "t_bad", Instructions = insns,
        }));
        Assert.Equal(Errno.EACCES, e.Errno);
        Assert.Equal("t_bad", e.ProgramName);
        Assert.Contains("R5 !read_ok", e.Log, StringComparison.Ordinal);
        Assert.Contains("R5 !read_ok", e.Message, StringComparison.Ordinal);
        Assert.Contains("load program 't_bad'", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.FailedInstruction);
    }

    [Fact]
    public void Rejected_HugeLog_IsComplete()
    {
        // 100k instructions at log level 2 make a log of several MB: far beyond the first buffer, fetched whole.
        const int n = 100_000;
        var insns = new Instruction[n + 2];
        for (int i = 0; i < n; i++) insns[i] = Instruction.Mov(Register.R1, i & 0xff);
        insns[n] = Instruction.Mov(Register.R0, Register.R5);   // R5 was never written
        insns[n + 1] = Instruction.Exit();
        var e = Assert.Throws<BpfVerifierException>(() => ProgramLoader.Load(new ProgramLoadOptions
        {
            Type = ProgramType.SocketFilter, Name = "t_huge", Instructions = insns, LogLevel = VerifierLogLevel.Verbose,
        }));
        Assert.False(e.LogTruncated);
        Assert.True(e.Log.Length > 4_000_000, $"log is {e.Log.Length} bytes");
        Assert.Equal(n, e.FailedInstruction);
        Assert.Contains("R5 !read_ok", e.Log, StringComparison.Ordinal);
        // Every instruction's line is there, from the first to the last: nothing was cut at either end.
        Assert.StartsWith("func#0 @0", e.Log, StringComparison.Ordinal);
        var seen = new bool[n + 1];
        foreach (string line in e.Log.Split('\n'))
        {
            int colon = line.IndexOf(": (", StringComparison.Ordinal);
            if (colon > 0 && int.TryParse(line.AsSpan(0, colon), out int index) && index <= n) seen[index] = true;
        }
        Assert.All(seen, Assert.True);
        Assert.Contains("processed", e.Log[^400..], StringComparison.Ordinal);
        Assert.Contains("omitted, see Log", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SmallInitialLogBuffer_GrowsUntilTheLogFits()
    {
        using var prog = ProgramLoader.Load(new ProgramLoadOptions
        {
            Type = ProgramType.SocketFilter, Name = "t_grow", LogLevel = VerifierLogLevel.Verbose, InitialLogSize = 128,
            Instructions = Enumerable.Repeat(Instruction.Mov(Register.R0, 0), 200).Append(Instruction.Exit()).ToArray(),
        });
        Assert.Contains("199: (b7) r0 = 0", prog.VerifierLog, StringComparison.Ordinal);
        Assert.Contains("200: (95) exit", prog.VerifierLog, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownProgramType_IsAMissingFeature()
    {
        var e = Assert.Throws<KernelFeatureMissingException>(() => TestPrograms.Return((ProgramType)999, 0));
        Assert.Contains("999", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReferencingAMap_ListsItsId()
    {
        using var map = KernelMap.Create(MapType.Array, 4, 8, 1, "t_prog_map");
        var (lo, hi) = Instruction.LoadImm64(Register.R1, (ulong)(int)map.Handle.DangerousGetHandle(), LoadImmediateSource.MapFd);
        using var prog = ProgramLoader.Load(new ProgramLoadOptions
        {
            Type = ProgramType.SocketFilter, Name = "t_uses_map",
            Instructions = new[] { lo, hi, Instruction.Mov(Register.R0, 0), Instruction.Exit() },
        });
        Assert.Equal([map.Id], prog.Info().MapIds);
    }

    [Fact]
    public void FdArray_ResolvesMapIndexes()
    {
        using var map = KernelMap.Create(MapType.Array, 4, 8, 1, "t_fd_array");
        var (lo, hi) = Instruction.LoadImm64(Register.R1, 0, LoadImmediateSource.MapIndex);
        KernelProgram loaded;
        try
        {
            loaded = KernelAssert.RunOrSkip(() => ProgramLoader.Load(new ProgramLoadOptions
            {
                Type = ProgramType.SocketFilter, Name = "t_idx", FdArray = [map.Handle],
                Instructions = new[] { lo, hi, Instruction.Mov(Register.R0, 0), Instruction.Exit() },
            }));
        }
        catch (BpfException e) when (e.Errno == Errno.E2BIG && !KernelAssert.ReleaseAtLeast("5.14"))
        {
            // A kernel that does not know the attribute's fd_array field refuses the larger attribute with E2BIG.
            Assert.Skip($"fd_array (BPF_PSEUDO_MAP_IDX) needs Linux 5.14: {e.Message}");
            throw;
        }
        using var prog = loaded;
        Assert.Equal([map.Id], prog.Info().MapIds);
    }
}
