using Ebpf.Btf;
using Ebpf.Linux;

namespace Ebpf.Cli.Kernel;

/// <summary>The BTF a map was created with (from the kernel), to render its keys and values; null when it has none.</summary>
internal static class MapBtf
{
    private const string VmlinuxPath = "/sys/kernel/btf/vmlinux";
    private static readonly Lazy<BtfSpec?> s_vmlinux = new(() => File.Exists(VmlinuxPath) ? BtfReader.Parse(File.ReadAllBytes(VmlinuxPath)) : null);

    /// <summary>The kernel's own BTF, or null on kernels without CONFIG_DEBUG_INFO_BTF.</summary>
    public static BtfSpec? Vmlinux => s_vmlinux.Value;

    /// <summary>Reads BTF object <paramref name="btfId"/>; module BTF is split on top of vmlinux.</summary>
    public static BtfSpec? Load(uint btfId)
    {
        if (btfId == 0) return null;
        try
        {
            using SafeBpfHandle handle = KernelObjects.OpenBtfById(btfId);
            BtfInfo info = BtfInfo.Get(handle, includeData: true);
            if (info.Data is null) return null;
            if (info.IsKernel && info.Name == "vmlinux") return Vmlinux;
            return info.IsKernel ? BtfReader.Parse(info.Data, Vmlinux) : BtfReader.Parse(info.Data);
        }
        catch (Exception e) when (e is BpfException or BtfFormatException)
        {
            return null;   // rendering is a bonus: without BTF the bytes are still printed
        }
    }

    /// <summary>The BTF of <paramref name="info"/>'s map when it names key and value types (or a struct_ops value type).</summary>
    public static BtfSpec? For(MapInfo info) =>
        info.BtfVmlinuxValueTypeId != 0 ? Vmlinux : info.BtfValueTypeId != 0 ? Load(info.BtfId) : null;
}
