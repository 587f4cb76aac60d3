using Ebpf.Btf;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>Reading BTF back out of the kernel: vmlinux's, a module's (split on vmlinux) and a loaded object's.</summary>
public sealed class KernelBtfReadTests
{
    public KernelBtfReadTests()
    {
        KernelAssert.RequireRoot();
        if (!File.Exists(KernelBtf.VmlinuxPath)) Assert.Skip($"the kernel serves no BTF ({KernelBtf.VmlinuxPath}: CONFIG_DEBUG_INFO_BTF)");
    }

    [Fact]
    public void TryGetVmlinux_ParsesTheKernelsBtfOnce()
    {
        Assert.True(KernelBtf.TryGetVmlinux(out BtfSpec? vmlinux));
        Assert.True(KernelBtf.TryGetVmlinux(out BtfSpec? again));
        Assert.Same(vmlinux, again);
        Assert.True(vmlinux.TryFind("task_struct", BtfKind.Struct, out _));
        Assert.Equal(BtfReader.Parse(File.ReadAllBytes(KernelBtf.VmlinuxPath)).TypeCount, vmlinux.TypeCount);
    }

    [Fact]
    public void Read_TheVmlinuxBtfObject_IsTheKernelsBtf()
    {
        BtfInfo? vmlinuxObject = KernelBtfObjects().FirstOrDefault(b => b.Name == "vmlinux");
        if (vmlinuxObject is null) Assert.Skip($"Linux {KernelAssert.KernelRelease} lists no vmlinux BTF object (kernel BTF objects have ids and names from 5.11)");
        Assert.True(KernelBtf.TryGetVmlinux(out BtfSpec? vmlinux));
        BtfSpec read = KernelBtf.Read(vmlinuxObject.Id);
        Assert.Same(vmlinux, read);   // known as vmlinux's: the parse kept for the process is returned
        Assert.Equal(new FileInfo(KernelBtf.VmlinuxPath).Length, vmlinuxObject.Size);
    }

    [Fact]
    public void Read_ModuleBtf_IsSplitOnVmlinux()
    {
        BtfInfo? module = KernelBtfObjects().FirstOrDefault(b => b.Name != "vmlinux");
        if (module is null) Assert.Skip($"Linux {KernelAssert.KernelRelease} lists no module BTF (none loaded with CONFIG_DEBUG_INFO_BTF_MODULES, 5.11+)");
        Assert.True(KernelBtf.TryGetVmlinux(out BtfSpec? vmlinux));
        BtfSpec spec = KernelBtf.Read(module.Id);
        Assert.Equal((uint)vmlinux.TypeCount, spec.FirstTypeId);   // the module's ids go on after vmlinux's
        Assert.True(spec.TryFind("task_struct", BtfKind.Struct, out _));   // found in the base
        Assert.Equal(BtfReader.Parse(File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(KernelBtf.VmlinuxPath)!, module.Name)), vmlinux).TypeCount, spec.TypeCount);
    }

    [Fact]
    public void Read_MapBtf_HasTheMapsValueType_AndStaleIdsAreEnoent()
    {
        using var collection = KernelCollection.Load(CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/events.o")));
        MapInfo info = collection.Map("last_event").Info();
        BtfSpec btf = KernelBtf.Read(info.BtfId);
        BtfStruct value = Assert.IsType<BtfStruct>(btf[info.BtfValueTypeId]);
        Assert.Equal("event", value.Name);
        Assert.Equal(32u, value.Size);
        Assert.Equal(Errno.ENOENT, Assert.Throws<BpfException>(() => KernelBtf.Read(uint.MaxValue)).Errno);
    }

    private static IEnumerable<BtfInfo> KernelBtfObjects()
    {
        foreach (uint id in KernelObjects.BtfIds())
        {
            if (!KernelObjects.TryOpenBtfById(id, out SafeBpfHandle? handle)) continue;
            using (handle)
            {
                BtfInfo info = BtfInfo.Get(handle);
                if (info.IsKernel) yield return info;
            }
        }
    }
}
