using System.Diagnostics.CodeAnalysis;
using Ebpf.Btf;

namespace Ebpf.Linux;

public static partial class KernelBtf
{
    /// <summary>Where the kernel serves its own BTF (CONFIG_DEBUG_INFO_BTF, Linux 5.4+); modules' BTF sits beside it.</summary>
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    private static readonly Lazy<BtfSpec?> s_vmlinux = new(() => File.Exists(VmlinuxPath) ? BtfReader.Parse(File.ReadAllBytes(VmlinuxPath)) : null);

    /// <summary>
    /// The running kernel's BTF (the types of vmlinux, what CO-RE relocates against), parsed once per process; false on
    /// kernels built without CONFIG_DEBUG_INFO_BTF.
    /// </summary>
    /// <exception cref="BtfFormatException">The kernel's BTF could not be parsed.</exception>
    public static bool TryGetVmlinux([NotNullWhen(true)] out BtfSpec? vmlinux)
    {
        vmlinux = s_vmlinux.Value;
        return vmlinux is not null;
    }

    /// <summary>
    /// Reads the loaded BTF object <paramref name="id"/> out of the kernel (<see cref="MapInfo.BtfId"/>,
    /// <see cref="ProgramInfo.BtfId"/>, <see cref="KernelObjects.BtfIds"/>): the BTF of a program's object, vmlinux's,
    /// or a module's, which is split BTF and so parsed on top of vmlinux's.
    /// </summary>
    /// <exception cref="BpfException">ENOENT: no such BTF object (any more).</exception>
    /// <exception cref="KernelFeatureMissingException">A module's BTF, and the kernel serves no vmlinux BTF to base it on.</exception>
    /// <exception cref="BtfFormatException">The kernel's answer is no BTF this reader understands.</exception>
    public static BtfSpec Read(uint id)
    {
        using SafeBpfHandle handle = KernelObjects.OpenBtfById(id);
        BtfInfo info = BtfInfo.Get(handle, includeData: true);
        byte[] data = info.Data ?? [];
        if (!info.IsKernel) return BtfReader.Parse(data);
        if (info.Name == "vmlinux") return TryGetVmlinux(out BtfSpec? parsed) ? parsed : BtfReader.Parse(data);
        if (!TryGetVmlinux(out BtfSpec? vmlinux))
            throw new KernelFeatureMissingException("vmlinux BTF (CONFIG_DEBUG_INFO_BTF)", $"read the BTF of module {info.Name}: {VmlinuxPath} does not exist", "5.4");
        return BtfReader.Parse(data, vmlinux);
    }
}
