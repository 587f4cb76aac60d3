using Ebpf.Linux.Features;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

public sealed partial class KernelProgram
{
    /// <summary>
    /// Adds <paramref name="map"/> to the maps this program holds (BPF_PROG_BIND_MAP, Linux 5.8+), although no
    /// instruction refers to it: the map lives as long as the program and is listed in its <see cref="ProgramInfo.MapIds"/>.
    /// libbpf does this with an object's <c>.rodata</c> so tools can find a program's constants.
    /// </summary>
    /// <exception cref="KernelFeatureMissingException">The kernel has no BPF_PROG_BIND_MAP.</exception>
    /// <exception cref="BpfException">The kernel refused (e.g. the program already holds 64 maps: E2BIG).</exception>
    public void BindMap(KernelMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var attr = new ProgBindMapAttr();
        int r;
        using (Handle.Lease(out attr.ProgFd))
        using (map.Handle.Lease(out attr.MapFd))
            r = Bpf.Invoke(BpfCommand.ProgBindMap, ref attr);
        if (r == -(int)Errno.EINVAL) KernelFeatures.ProgBindMap.ThrowIfMissing();
        BpfErrors.Check(r, "bind map", $"{map.Describe()} to program {Describe()}");
    }
}
