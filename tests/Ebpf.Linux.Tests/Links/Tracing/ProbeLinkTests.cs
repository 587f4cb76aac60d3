using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links.Tracing;

/// <summary>Tracepoint, raw tracepoint, kprobe and uprobe links of bpf/tests/trace_probes.c, attached by section name.</summary>
public sealed class ProbeLinkTests
{
    public ProbeLinkTests() => KernelAssert.RequireRoot();

    [Fact]
    public void Tracepoint_SysEnterGetppid_CountsOwnCalls_AndDisposeDetaches()
    {
        using var obj = TraceObject.Load("trace_probes");
        uint? id = null;
        using (Link link = obj.AutoAttach("tp_getppid"))
        {
            var tp = Assert.IsType<TracepointLink>(link);
            Assert.Equal(("syscalls", "sys_enter_getppid"), (tp.Category, tp.Name));
            for (int i = 0; i < 5; i++) TraceObject.LibcGetppid();
            Assert.True(obj.Count(TraceObject.Tracepoint) >= 5, $"counted {obj.Count(TraceObject.Tracepoint)}");
            if (tp.IsBpfLink)   // before 5.15 the program is set on the perf event by ioctl: no link object
            {
                id = link.Info().Id;
                Assert.Contains(BpfTool.Json("link", "list").EnumerateArray(), l => l.GetProperty("id").GetUInt32() == id);
            }
        }
        if (id is uint linkId) Assert.True(HookObjects.Eventually(() => !TraceObject.LinkExists(linkId)), $"link {linkId} still exists after dispose");
        ulong after = TraceObject.Settled(() => obj.Count(TraceObject.Tracepoint));
        TraceObject.LibcGetppid();
        Assert.Equal(after, obj.Count(TraceObject.Tracepoint));
    }

    [Fact]
    public void Tracepoint_ByIoctl_AsOnKernelsBefore515_Counts_AndCloseDetaches()
    {
        using var obj = TraceObject.Load("trace_probes");
        PerfEventLink.ForceIoctlAttach = true;
        try
        {
            using (var link = TracepointLink.Attach(obj.Program("tp_getppid"), "syscalls", "sys_enter_getppid"))
            {
                Assert.False(link.IsBpfLink);
                Assert.Same(link.Handle, link.PerfEventHandle);
                for (int i = 0; i < 5; i++) TraceObject.LibcGetppid();
                Assert.True(obj.Count(TraceObject.Tracepoint) >= 5, $"counted {obj.Count(TraceObject.Tracepoint)}");
            }
            ulong after = TraceObject.Settled(() => obj.Count(TraceObject.Tracepoint));
            TraceObject.LibcGetppid();
            Assert.Equal(after, obj.Count(TraceObject.Tracepoint));
        }
        finally
        {
            PerfEventLink.ForceIoctlAttach = false;
        }
    }

    [Fact]
    public void RawTracepoint_SysEnter_Counts_AndDisposeDetaches()
    {
        using var obj = TraceObject.Load("trace_probes");
        uint id;
        using (Link link = obj.AutoAttach("raw_sys_enter"))
        {
            Assert.Equal("sys_enter", Assert.IsType<RawTracepointLink>(link).Name);
            LinkInfo info = link.Info();
            id = info.Id;
            Assert.Equal(LinkType.RawTracepoint, info.Type);
            Assert.Equal(obj.Program("raw_sys_enter").Id, info.ProgramId);
            TraceObject.LibcGetppid();
            Assert.True(obj.Count(TraceObject.RawTp) >= 1);
        }
        Assert.True(HookObjects.Eventually(() => !TraceObject.LinkExists(id)), $"link {id} still exists after dispose");
    }

    [Fact]
    public void RawTracepoint_Unknown_IsBpfExceptionNamingIt()
    {
        using var obj = TraceObject.Load("trace_probes");
        var e = Assert.Throws<BpfException>(() => RawTracepointLink.Attach(obj.Program("raw_sys_enter"), "no_such_tracepoint"));
        Assert.Contains("no_such_tracepoint", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kprobe_openat2", TraceObject.Kprobe)]
    [InlineData("kret_openat2", TraceObject.Kretprobe)]
    public void Kprobe_DoSysOpenat2_CountsOwnOpens_OrSkipsWithoutKprobes(string program, int slot)
    {
        using var obj = TraceObject.Load("trace_probes");
        using Link link = KernelAssert.RunOrSkip(() => obj.AutoAttach(program));
        TraceObject.OpenFile("/proc/self/stat", 3);
        Assert.True(obj.Count(slot) >= 3, $"counted {obj.Count(slot)}");
    }

    [Theory]
    [InlineData("uprobe_getpid", TraceObject.Uprobe)]
    [InlineData("uret_getpid", TraceObject.Uretprobe)]
    public void Uprobe_LibcGetpid_CountsOwnCalls_AndDisposeDetaches(string program, int slot)
    {
        using var obj = TraceObject.Load("trace_probes");
        using (Link link = obj.AutoAttach(program))
        {
            var uprobe = Assert.IsType<UprobeLink>(link);
            Assert.Equal(slot == TraceObject.Uretprobe, uprobe.IsReturnProbe);
            Assert.EndsWith("libc.so.6", uprobe.Target.Path, StringComparison.Ordinal);
            for (int i = 0; i < 10; i++) TraceObject.LibcGetpid();
            Assert.True(obj.Count(slot) >= 10, $"counted {obj.Count(slot)}");
        }
        ulong after = TraceObject.Settled(() => obj.Count(slot));
        TraceObject.LibcGetpid();
        Assert.Equal(after, obj.Count(slot));
    }

    [Fact]
    public void Uprobe_WithPid_OnlyThatProcessTriggers()
    {
        using var obj = TraceObject.Load("trace_probes");
        using var link = UprobeLink.Attach(obj.Program("uprobe_getpid"), "libc.so.6", "getpid", pid: Environment.ProcessId);
        Assert.Equal(Environment.ProcessId, link.ProcessId);
        for (int i = 0; i < 3; i++) TraceObject.LibcGetpid();
        Assert.True(obj.Count(TraceObject.Uprobe) >= 3);
    }

    [Fact]
    public void Uprobe_UnknownSymbol_NamesFileAndSymbol()
    {
        using var obj = TraceObject.Load("trace_probes");
        var e = Assert.Throws<Ebpf.Elf.ElfSymbolNotFoundException>(() => UprobeLink.Attach(obj.Program("uprobe_getpid"), "libc.so.6", "no_such_function_xyz"));
        Assert.Contains("libc.so.6", e.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_function_xyz", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uprobe_UnknownLibrary_IsFileNotFound()
    {
        using var obj = TraceObject.Load("trace_probes");
        Assert.Throws<FileNotFoundException>(() => UprobeLink.Attach(obj.Program("uprobe_getpid"), "libnosuch.so.9", "f"));
    }
}
