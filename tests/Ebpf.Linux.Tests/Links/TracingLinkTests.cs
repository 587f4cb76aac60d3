using Ebpf.Asm;
using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>Tracepoint and kprobe links.</summary>
public sealed class TracingLinkTests
{
    public TracingLinkTests() => KernelAssert.RequireRoot();

    /// <summary>Counts calls made by this process into slot 0 of <paramref name="counts"/>.</summary>
    private static KernelProgram CountOwnCalls(ProgramType type, KernelMap counts, string name)
    {
        var b = new ProgramBuilder()
            .Call(14)                                                            // bpf_get_current_pid_tgid
            .Alu(AluOperation.Rsh, Register.R0, 32)
            .JumpIf(JumpOperation.Jne, Register.R0, Environment.ProcessId, "out")
            .Store(MemorySize.Word, Register.R10, -4, 0)
            .LoadMapFd(Register.R1, (int)counts.Handle.DangerousGetHandle())
            .Mov(Register.R2, Register.R10).Add(Register.R2, -4)
            .Call(1)
            .JumpIf(JumpOperation.Jeq, Register.R0, 0, "out")
            .Mov(Register.R1, 1)
            .Atomic(AtomicOperation.Add, MemorySize.DoubleWord, Register.R0, 0, Register.R1)
            .Label("out")
            .Mov(Register.R0, 0)
            .Exit();
        return ProgramLoader.Load(new ProgramLoadOptions { Type = type, Name = name, Instructions = b.Build() });
    }

    [Fact]
    public void Tracepoint_SysEnterOpenat_CountsOwnOpens_AndStopsOnDispose()
    {
        using var counts = PacketCounters.CreateMap();
        using var prog = CountOwnCalls(ProgramType.Tracepoint, counts, "t_tp_openat");
        string file = Path.GetTempFileName();
        try
        {
            uint? linkId = null;
            using (var link = TracepointLink.Attach(prog, "syscalls", "sys_enter_openat"))
            {
                for (int i = 0; i < 5; i++) File.ReadAllBytes(file);
                Assert.True(PacketCounters.Read(counts, 0) >= 5, $"counted {PacketCounters.Read(counts, 0)}");
                if (link.IsBpfLink)   // before 5.15 the program is set on the perf event by ioctl: no link object
                {
                    LinkInfo info = link.Info();
                    linkId = info.Id;
                    Assert.Equal(LinkType.PerfEvent, info.Type);
                    Assert.Equal(prog.Id, info.ProgramId);
                    Assert.Contains(BpfTool.Json("link", "list").EnumerateArray(), l => l.GetProperty("id").GetUInt32() == info.Id);
                }
            }
            if (linkId is uint id) Assert.True(HookObjects.Eventually(() => !KernelObjects.LinkIds().Contains(id)), $"link {id} still listed after dispose");
            ulong after = PacketCounters.Read(counts, 0);
            File.ReadAllBytes(file);
            Assert.Equal(after, PacketCounters.Read(counts, 0));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Tracepoint_Unknown_IsFileNotFound()
    {
        using var counts = PacketCounters.CreateMap();
        using var prog = CountOwnCalls(ProgramType.Tracepoint, counts, "t_tp_none");
        Assert.Throws<FileNotFoundException>(() => TracepointLink.Attach(prog, "syscalls", "sys_enter_no_such_call"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Kprobe_OnDoSysOpenat2_CountsOwnOpens_OrSkipsWithoutKprobes(bool isReturn)
    {
        using var counts = PacketCounters.CreateMap();
        using var prog = CountOwnCalls(ProgramType.Kprobe, counts, "t_kprobe");
        using var link = KernelAssert.RunOrSkip(() => KprobeLink.Attach(prog, "do_sys_openat2", isReturn));
        string file = Path.GetTempFileName();
        try
        {
            File.ReadAllBytes(file);
            Assert.True(PacketCounters.Read(counts, 0) >= 1);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Kprobe_WithoutKprobePmu_IsKernelFeatureMissing_NamingIt()
    {
        if (File.Exists("/sys/bus/event_source/devices/kprobe/type")) Assert.Skip("this kernel has kprobes");
        using var counts = PacketCounters.CreateMap();
        using var prog = CountOwnCalls(ProgramType.Kprobe, counts, "t_kprobe");
        var e = Assert.Throws<KernelFeatureMissingException>(() => KprobeLink.Attach(prog, "do_sys_openat2"));
        Assert.Contains("CONFIG_KPROBE_EVENTS", e.Message, StringComparison.Ordinal);
        Assert.Null(e.Since);
    }
}
