using System.Globalization;
using Ebpf.Asm;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>Object ids, open by id, and info records, against bpftool.</summary>
public sealed class ObjectInfoTests
{
    public ObjectInfoTests() => KernelAssert.RequireRoot();

    [Fact]
    public void MapInfo_MatchesBpftool()
    {
        using var map = KernelMap.Create(MapType.LruHash, 4, 16, 32, "t_info_map", MapFlags.NoCommonLru);
        MapInfo info = map.Info();
        var shown = BpfTool.Json("map", "show", "id", map.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("lru_hash", shown.GetProperty("type").GetString());
        Assert.Equal(info.Name, shown.GetProperty("name").GetString());
        Assert.Equal(4, shown.GetProperty("bytes_key").GetInt32());
        Assert.Equal(16, shown.GetProperty("bytes_value").GetInt32());
        Assert.Equal(32, shown.GetProperty("max_entries").GetInt32());
        Assert.Equal((int)MapFlags.NoCommonLru, shown.GetProperty("flags").GetInt32());
        Assert.Contains(map.Id, KernelObjects.MapIds());
        using var again = KernelMap.OpenById(map.Id);
        Assert.Equal(info, again.Info());
    }

    [Fact]
    public void ProgramInfo_MatchesBpftool_WithInstructionsAndStats()
    {
        using var map = KernelMap.Create(MapType.Array, 4, 8, 1, "t_info_pmap");
        var (lo, hi) = Instruction.LoadImm64(Register.R1, (ulong)(int)map.Handle.DangerousGetHandle(), LoadImmediateSource.MapFd);
        Instruction[] insns = [lo, hi, Instruction.Mov(Register.R0, 2), Instruction.Exit()];
        using var prog = ProgramLoader.Load(new ProgramLoadOptions { Type = ProgramType.Xdp, Name = "t_info_prog", Instructions = insns });
        using (BpfStats.EnableRunTime())
            prog.TestRun(new TestRunOptions { Data = new byte[64], Repeat = 10 });
        ProgramInfo info = prog.Info();
        var shown = BpfTool.Json("prog", "show", "id", prog.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("xdp", shown.GetProperty("type").GetString());
        Assert.Equal("t_info_prog", shown.GetProperty("name").GetString());
        Assert.Equal(ProgramTag.Format(info.Tag), shown.GetProperty("tag").GetString());
        Assert.Equal(KernelProgramTag.Compute(insns), info.Tag);
        Assert.Equal(info.XlatedInstructions.Length * 8, shown.GetProperty("bytes_xlated").GetInt32());
        Assert.Equal(info.JitedInstructions.Length, shown.GetProperty("bytes_jited").GetInt32());
        Assert.Equal([map.Id], shown.GetProperty("map_ids").EnumerateArray().Select(e => e.GetUInt32()));
        Assert.Equal([map.Id], info.MapIds);
        // net.core.bpf_jit_harden=2 blinds constants for every user, and the kernel then reports the blinded code.
        if (HostSysctl.Read("net.core.bpf_jit_harden") != "2") Assert.Equal(Instruction.Mov(Register.R0, 2), info.XlatedInstructions[^2]);
        Assert.Equal(Instruction.Exit(), info.XlatedInstructions[^1]);
        // JIT-compiled unless the JIT is off (net.core.bpf_jit_enable=0, possible where CONFIG_BPF_JIT_ALWAYS_ON is not set).
        if (HostSysctl.JitEnabled) Assert.NotEmpty(info.JitedInstructions);
        else Assert.Empty(info.JitedInstructions);
        Assert.Equal(10UL, info.RunCount);   // counted only while the statistics handle was open
        Assert.True(info.RunTime > TimeSpan.Zero);
        Assert.Contains(prog.Id, KernelObjects.ProgramIds());
        using var opened = KernelProgram.OpenById(prog.Id);
        Assert.Equal("t_info_prog", opened.Name);
        Assert.Equal(ProgramType.Xdp, opened.Type);
    }

    [Fact]
    public void ProgramInfo_FullName_ComesFromBtf_WhereTheKernelCutTheName()
    {
        var spec = CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/long_names.o"));
        using KernelCollection collection = KernelCollection.Load(spec);
        ProgramInfo xdp = collection.Programs["xdp_pass_with_a_long"].Info();
        Assert.Equal("xdp_pass_with_a", xdp.Name);
        Assert.Equal("xdp_pass_with_a_long", xdp.FullName);
        Assert.Equal("cgroup_skb_with_long_name", collection.Programs["cgroup_skb_with_long_name"].Info().FullName);
        var shown = BpfTool.Json("prog", "show", "id", xdp.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(shown.GetProperty("name").GetString(), xdp.FullName);
        // A short name needs no BTF: FullName is the kernel's.
        using var prog = ProgramLoader.Load(new ProgramLoadOptions { Type = ProgramType.Xdp, Name = "t_short", Instructions = new[] { Instruction.Mov(Register.R0, 2), Instruction.Exit() } });
        Assert.Equal("t_short", prog.Info().FullName);
    }

    [Fact]
    public void LinkInfo_AndLinkIds()
    {
        using var prog = TestPrograms.Return(ProgramType.RawTracepoint, 0, "t_info_link");
        using var link = TestPrograms.RawTracepointLink(prog, "sys_exit");
        LinkInfo info = LinkInfo.Get(link);
        Assert.Equal(LinkType.RawTracepoint, info.Type);
        Assert.Equal("sys_exit", info.TracepointName);
        Assert.Contains(info.Id, KernelObjects.LinkIds());
        using var byId = KernelObjects.OpenLinkById(info.Id);
        Assert.Equal(info.ProgramId, LinkInfo.Get(byId).ProgramId);
        var shown = BpfTool.Json("link", "show", "id", info.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(prog.Id, shown.GetProperty("prog_id").GetUInt32());
    }

    [Fact]
    public void BtfInfo_VmlinuxAndLoaded()
    {
        uint vmlinux = KernelObjects.BtfIds().FirstOrDefault(id =>
        {
            try
            {
                using var h = KernelObjects.OpenBtfById(id);
                return BtfInfo.Get(h).Name == "vmlinux";
            }
            catch (BpfException e) when (e.Errno == Errno.ENOENT)
            {
                return false;   // another process's BTF, freed between the listing and the open
            }
        });
        // The kernel's own BTF got an id (and so a place in BTF_GET_NEXT_ID) in Linux 5.11.
        if (vmlinux == 0 && !KernelAssert.ReleaseAtLeast("5.11")) Assert.Skip($"Linux {KernelAssert.KernelRelease} gives vmlinux BTF no id");
        Assert.NotEqual(0u, vmlinux);
        using (var h = KernelObjects.OpenBtfById(vmlinux))
            Assert.True(BtfInfo.Get(h).IsKernel);

        byte[] raw = Ebpf.Linux.Features.ProbeBtf.IntOnly();
        using var btf = KernelBtf.Load(raw);
        BtfInfo info = BtfInfo.Get(btf, includeData: true);
        Assert.False(info.IsKernel);
        Assert.Equal(raw.Length, info.Size);
        Assert.Equal(raw, info.Data);
        Assert.Contains(info.Id, KernelObjects.BtfIds());
    }

    [Fact]
    public void OpenById_Missing_IsENOENT()
    {
        var e = Assert.Throws<BpfException>(() => KernelObjects.OpenMapById(uint.MaxValue));
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.Contains("open map id 4294967295", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadBtf_ReportsTheKernelLog()
    {
        byte[] raw = Ebpf.Linux.Features.ProbeBtf.IntOnly();
        raw[36] = 0xff;   // an int encoding with garbage bits
        var e = Assert.Throws<BpfException>(() => KernelBtf.Load(raw));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("load BTF", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryOpenById_OpensLiveObjects_AndMissesIdsThatAreGone()
    {
        using var map = KernelMap.Create(MapType.Array, 4, 4, 1, "t_tryopen_map");
        using var prog = TestPrograms.Return(ProgramType.SocketFilter, 0, "t_tryopen_prog");
        Assert.True(KernelObjects.TryOpenMapById(map.Id, out SafeBpfHandle? mapHandle));
        using (mapHandle) Assert.Equal(map.Id, MapInfo.Get(mapHandle).Id);
        Assert.True(KernelObjects.TryOpenProgramById(prog.Id, out SafeBpfHandle? progHandle));
        using (progHandle) Assert.Equal(prog.Id, ProgramInfo.Get(progHandle).Id);
        Assert.False(KernelObjects.TryOpenMapById(uint.MaxValue, out SafeBpfHandle? none));
        Assert.Null(none);
        Assert.False(KernelObjects.TryOpenProgramById(uint.MaxValue, out _));
        Assert.False(KernelObjects.TryOpenLinkById(uint.MaxValue, out _));
        Assert.False(KernelObjects.TryOpenBtfById(uint.MaxValue, out _));

        // A freed map's id goes with its last reference (a parallel bpftool listing may hold one for a moment).
        uint stale;
        using (var gone = KernelMap.Create(MapType.Array, 4, 4, 1, "t_tryopen_gone")) stale = gone.Id;
        Assert.True(Links.HookObjects.Eventually(() =>
        {
            if (!KernelObjects.TryOpenMapById(stale, out SafeBpfHandle? h)) return true;
            h.Dispose();
            return false;
        }), $"map id {stale} is still open");
    }
}
