using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links.Tracing;

/// <summary>uprobe.multi (6.6+) and kprobe.multi (5.18+, needs fprobe) links of bpf/tests/trace_multi.c.</summary>
public sealed class MultiProbeLinkTests
{
    public MultiProbeLinkTests() => KernelAssert.RequireRoot();

    [Theory]
    [InlineData("umulti_getpid", TraceObject.UprobeMulti)]
    [InlineData("urmulti_getpid", TraceObject.UretprobeMulti)]
    public void UprobeMulti_LibcGetpid_CountsOwnCalls_AndDisposeDetaches(string program, int slot)
    {
        using var obj = TraceObject.Load("trace_multi");
        uint id;
        using (Link link = KernelAssert.RunOrSkip(() => obj.AutoAttach(program)))
        {
            var multi = Assert.IsType<UprobeMultiLink>(link);
            Assert.Equal(["getpid"], multi.Symbols);
            LinkInfo info = link.Info();
            id = info.Id;
            Assert.Equal(LinkType.UprobeMulti, info.Type);
            for (int i = 0; i < 10; i++) TraceObject.LibcGetpid();
            Assert.True(obj.Count(slot) >= 10, $"counted {obj.Count(slot)}");
        }
        Assert.True(HookObjects.Eventually(() => !TraceObject.LinkExists(id)), $"link {id} still exists after dispose");
    }

    [Fact]
    public void UprobeMulti_WithPid_Counts()
    {
        using var obj = TraceObject.Load("trace_multi");
        using var link = KernelAssert.RunOrSkip(() =>
            UprobeMultiLink.Attach(obj.Program("umulti_getpid"), "libc.so.6", ["getpid", "getppid"], pid: Environment.ProcessId));
        TraceObject.LibcGetpid();
        TraceObject.LibcGetppid();
        Assert.True(obj.Count(TraceObject.UprobeMulti) >= 2);
    }

    [Fact]
    public void KprobeMulti_DoSysOpenat2_Counts_OrSkipsWithoutFprobe()
    {
        using var obj = TraceObject.Load("trace_multi");
        using Link link = KernelAssert.RunOrSkip(() => obj.AutoAttach("kmulti_openat2"));
        Assert.Equal(LinkType.KprobeMulti, link.Info().Type);
        TraceObject.OpenFile("/proc/self/stat", 3);
        Assert.True(obj.Count(TraceObject.KprobeMulti) >= 3);
    }

    [Fact]
    public void KprobeMulti_WithoutKprobes_IsKernelFeatureMissing()
    {
        if (File.Exists("/sys/bus/event_source/devices/kprobe/type")) Assert.Skip("this kernel has kprobes");
        using var obj = TraceObject.Load("trace_multi");
        var e = Assert.Throws<KernelFeatureMissingException>(() => KprobeMultiLink.Attach(obj.Program("kmulti_openat2"), ["do_sys_openat2"]));
        Assert.Contains("kprobe.multi", e.Message, StringComparison.Ordinal);
    }
}
