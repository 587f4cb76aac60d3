using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links.Tracing;

/// <summary>
/// tp_btf, fentry, fexit and LSM programs: loaded for their vmlinux BTF target by KernelCollection (from the section
/// name) and attached with TracingLink. Kernels that refuse trampolines skip with the reason.
/// </summary>
public sealed class TrampolineLinkTests
{
    public TrampolineLinkTests() => KernelAssert.RequireRoot();

    [Fact]
    public void TpBtf_SysEnter_Counts_AndDisposeDetaches()
    {
        using var obj = TraceObject.Load("trace_tp_btf");
        uint id;
        using (Link link = KernelAssert.RunOrSkip(() => obj.AutoAttach("btf_sys_enter")))
        {
            Assert.Equal("tp_btf", Assert.IsType<TracingLink>(link).Hook);
            id = link.Info().Id;
            TraceObject.LibcGetppid();
            Assert.True(obj.Count(TraceObject.TpBtf) >= 1);
        }
        Assert.True(HookObjects.Eventually(() => !TraceObject.LinkExists(id)), $"link {id} still exists after dispose");
    }

    [Fact]
    public void Load_SetsAttachBtfIdOfTheSectionTarget()
    {
        using var obj = TraceObject.Load("trace_tp_btf");
        ProgramInfo info = obj.Program("btf_sys_enter").Info();
        Assert.Equal(ProgramType.Tracing, info.Type);
        string dump = BpfTool.Run("prog", "show", "id", info.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("tracing", dump, StringComparison.Ordinal);
    }

    [Fact]
    public void FentryFexit_DoSysOpenat2_CountOpens_AndFexitSeesTheReturnedFd()
    {
        using var obj = TraceObject.Load("trace_fentry");
        using Link fentry = KernelAssert.RunOrSkip(() => obj.AutoAttach("fentry_openat2"));
        using Link fexit = KernelAssert.RunOrSkip(() => obj.AutoAttach("fexit_openat2"));
        Assert.Equal("fentry", Assert.IsType<TracingLink>(fentry).Hook);
        Assert.Equal(LinkType.Tracing, fentry.Info().Type);
        int fd;
        using (var handle = File.OpenHandle("/proc/self/stat"))
            fd = (int)handle.DangerousGetHandle();
        Assert.True(obj.Count(TraceObject.Fentry) >= 1);
        Assert.True(obj.Count(TraceObject.Fexit) >= 1);
        Span<byte> key = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(key, Environment.ProcessId);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(key[4..], fd);
        Span<byte> value = stackalloc byte[4];
        Assert.True(obj.Collection.Map("returned").TryLookup(key, value), $"fexit did not record fd {fd} returned to pid {Environment.ProcessId}");
    }

    [Fact]
    public void Lsm_FileOpen_CountsOpens()
    {
        using var obj = TraceObject.Load("trace_lsm");
        using Link link = KernelAssert.RunOrSkip(() => obj.AutoAttach("lsm_file_open"));
        Assert.Equal("lsm", Assert.IsType<TracingLink>(link).Hook);
        TraceObject.OpenFile("/proc/self/stat", 2);
        // Attached but silent: the BPF LSM is compiled in but not in lsm=, and securityfs was not there to tell us.
        if (obj.Count(TraceObject.Lsm) == 0 && Ebpf.Linux.TracingErrors.IsBpfLsmActive() is null)
            Assert.Skip($"the BPF LSM does not run here and {Ebpf.Linux.TracingErrors.ActiveLsmList} is unreadable (securityfs not mounted)");
        Assert.True(obj.Count(TraceObject.Lsm) >= 2);
    }

    [Fact]
    public void Fentry_WhereTheKernelRefusesTrampolines_IsKernelFeatureMissing_NamingTheHook()
    {
        KernelFeatureMissingException? missing = null;
        try
        {
            using var collection = KernelCollection.Load(TraceObject.LoadSpec("trace_fentry"));
            TracingLink.Attach(collection.Program("fentry_openat2")).Dispose();
        }
        catch (KernelFeatureMissingException e) { missing = e; }
        if (missing is null) Assert.Skip("this kernel attaches fentry programs");
        Assert.Contains("fentry", missing.Message, StringComparison.Ordinal);
        Assert.Null(missing.Since);
    }

    [Fact]
    public void LoadFentry_UnknownFunction_NamesIt()
    {
        var e = Assert.Throws<ArgumentException>(() => ProgramLoader.Load(new ProgramLoadOptions
        {
            Type = ProgramType.Tracing,
            ExpectedAttachType = AttachType.TraceFentry,
            AttachTo = "no_such_kernel_function_xyz",
            Instructions = new[] { Ebpf.Asm.Instruction.Mov(Ebpf.Asm.Register.R0, 0), Ebpf.Asm.Instruction.Exit() },
        }));
        Assert.Contains("no_such_kernel_function_xyz", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attach_NonTracingProgram_IsArgumentException()
    {
        using KernelProgram xdp = TestPrograms.Return(ProgramType.Xdp, 2);
        Assert.Throws<ArgumentException>(() => TracingLink.Attach(xdp));
    }
}
