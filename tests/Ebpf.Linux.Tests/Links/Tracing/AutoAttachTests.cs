using System.Collections.Immutable;
using Ebpf.Asm;
using Ebpf.Linux.Links;
using Ebpf.Sections;

namespace Ebpf.Linux.Tests.Links.Tracing;

/// <summary>AutoAttach refuses sections whose target only the caller knows, and sections missing their target.</summary>
public sealed class AutoAttachTests
{
    public AutoAttachTests() => Ebpf.Testing.KernelAssert.RequireRoot();

    private static ProgramSpec Spec(string section, ProgramType type) => new()
    {
        Name = "t_auto",
        SectionName = section,
        Type = type,
        Section = SectionDefinitions.Find(section),
        AttachTo = SectionDefinitions.Find(section)?.TargetOf(section),
        Instructions = ImmutableArray.Create(Instruction.Mov(Register.R0, 0), Instruction.Exit()),
    };

    [Theory]
    [InlineData("xdp", ProgramType.Xdp)]
    [InlineData("tc", ProgramType.SchedClassifier)]
    [InlineData("perf_event", ProgramType.PerfEvent)]
    [InlineData("socket", ProgramType.SocketFilter)]
    public void SectionsNeedingACallerTarget_AreArgumentException(string section, ProgramType type)
    {
        using KernelProgram program = TestPrograms.Return(type, 0);
        var e = Assert.Throws<ArgumentException>(() => AutoAttach.Attach(program, Spec(section, type)));
        Assert.Contains(section, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tracepoint", ProgramType.Tracepoint)]
    [InlineData("tracepoint/syscalls", ProgramType.Tracepoint)]
    [InlineData("raw_tp", ProgramType.RawTracepoint)]
    [InlineData("uprobe/libc.so.6", ProgramType.Kprobe)]
    public void SectionsWithoutTheirTarget_AreArgumentException_ShowingTheForm(string section, ProgramType type)
    {
        using KernelProgram program = TestPrograms.Return(type, 0);
        var e = Assert.Throws<ArgumentException>(() => AutoAttach.Attach(program, Spec(section, type)));
        Assert.Contains("auto-attach needs", e.Message, StringComparison.Ordinal);
    }
}
