using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Info;

/// <summary>Who holds which BPF object, read from /proc: this test process, seen in the view that includes it.</summary>
public sealed class ProcessFdsTests
{
    public ProcessFdsTests() => KernelAssert.RequireRoot();

    [Fact]
    public void Holders_FindTheLinkThisProcessHolds_OnlyInTheViewThatIncludesIt()
    {
        using var prog = TestPrograms.Return(ProgramType.RawTracepoint, 0, "t_holder_prog");
        using var link = KernelAssert.RunOrSkip(() => RawTracepointLink.Attach(prog, "sys_enter"));
        uint id = link.Info().Id;
        ObjectHolder me = Assert.Single(ProcessFds.Holders(BpfObjectKind.Link, includeThisProcess: true)[id]);
        Assert.Equal(new ObjectHolder(Environment.ProcessId, File.ReadAllText("/proc/self/comm").TrimEnd('\n')), me);
        // bpftool's view leaves the asking process out (a parallel test's bpftool may hold the link for a moment).
        IReadOnlyList<ObjectHolder> others = ProcessFds.Holders(BpfObjectKind.Link).GetValueOrDefault(id) ?? [];
        Assert.DoesNotContain(others, h => h.ProcessId == Environment.ProcessId);
        // The program is held too: by this process's program fd (the link's reference is no fd).
        Assert.Contains(ProcessFds.Holders(BpfObjectKind.Program, includeThisProcess: true)[prog.Id], h => h.ProcessId == Environment.ProcessId);
    }

    [Fact]
    public void OfKind_ListsThisProcesssMapFd_WithItsNumberTargetAndInfo()
    {
        using var map = KernelMap.Create(MapType.Array, 4, 4, 1, "t_procfd_map");
        int fd = (int)map.Handle.DangerousGetHandle();
        ProcessFd found = Assert.Single(ProcessFds.OfKind(BpfObjectKind.Map, includeThisProcess: true), f => f.ProcessId == Environment.ProcessId && f.Fd == fd);
        Assert.Equal("anon_inode:bpf-map", found.Target);
        Assert.Equal(BpfObjectKind.Map, found.BpfKind);
        Assert.True(found.TryReadInfo(out FdInfo? info));
        Assert.Equal(map.Id, info.MapId);
        Assert.DoesNotContain(ProcessFds.All(), f => f.ProcessId == Environment.ProcessId);
        Assert.DoesNotContain(ProcessFds.OfKind(BpfObjectKind.Link, includeThisProcess: true), f => f.ProcessId == Environment.ProcessId && f.Fd == fd);
    }

    [Fact]
    public void TryReadCommand_NamesLiveProcessesOnly()
    {
        Assert.True(ProcessFds.TryReadCommand(1, out string? init));
        Assert.Equal(File.ReadAllText("/proc/1/comm").TrimEnd('\n'), init);
        Assert.False(ProcessFds.TryReadCommand(int.MaxValue, out _));
    }
}
