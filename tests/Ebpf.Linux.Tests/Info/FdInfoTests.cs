using System.Globalization;
using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Info;

/// <summary>/proc fdinfo of BPF objects: what only the kernel's fdinfo says, checked against bpftool and the objects.</summary>
public sealed class FdInfoTests
{
    public FdInfoTests() => KernelAssert.RequireRoot();

    [Fact]
    public void Read_Map_HasItsIdMemlockAndFrozenFlag()
    {
        using var map = KernelMap.Create(MapType.Array, 4, 64, 256, "t_fdinfo_map");
        FdInfo info = FdInfo.Read(map.Handle);
        Assert.Equal(map.Id, info.MapId);
        Assert.True(info.Memlock > 0, $"memlock {info.Memlock}");
        Assert.Equal(BpfTool.Json("map", "show", "id", map.Id.ToString(CultureInfo.InvariantCulture)).GetProperty("bytes_memlock").GetInt64(), info.Memlock);
        Assert.Equal(((int)MapType.Array).ToString(CultureInfo.InvariantCulture), info.Fields["map_type"]);
        Assert.Equal("256", info.Fields["max_entries"]);
        Assert.False(info.Frozen);
        Assert.Null(info.ProgramId);
        map.Freeze();
        Assert.True(FdInfo.Read(map.Handle).Frozen);
    }

    [Fact]
    public void Read_ProgramAndLink_NameTheirObjects()
    {
        using var prog = TestPrograms.Return(ProgramType.RawTracepoint, 0, "t_fdinfo_prog");
        FdInfo program = FdInfo.Read(prog.Handle);
        Assert.Equal(prog.Id, program.ProgramId);
        Assert.True(program.Memlock > 0);
        Assert.Null(program.Frozen);   // a map-only field
        using var link = KernelAssert.RunOrSkip(() => RawTracepointLink.Attach(prog, "sys_enter"));
        FdInfo linked = FdInfo.Read(link.Handle);
        Assert.Equal(link.Info().Id, linked.LinkId);
        Assert.Equal(prog.Id, linked.ProgramId);
    }

    [Fact]
    public void TryRead_OfAProcessFd_AgreesWithRead_AndMissesWhatIsGone()
    {
        using var map = KernelMap.Create(MapType.Hash, 4, 4, 8, "t_fdinfo_other");
        int fd = (int)map.Handle.DangerousGetHandle();
        Assert.True(FdInfo.TryRead(Environment.ProcessId, fd, out FdInfo? info));
        Assert.Equal(map.Id, info.MapId);
        Assert.Equal(FdInfo.Read(map.Handle).Memlock, info.Memlock);
        Assert.False(FdInfo.TryRead(Environment.ProcessId, 1 << 20, out _));   // no such fd
        Assert.False(FdInfo.TryRead(int.MaxValue, 0, out _));                  // no such process
    }
}
