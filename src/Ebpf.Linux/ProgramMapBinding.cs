using Ebpf.Linux.Features;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>
/// <see cref="BindMap"/>: the one operation from a program to a map. An extension rather than a member, so
/// <see cref="KernelProgram"/> does not depend on <see cref="KernelMap"/>, which depends on programs (program
/// arrays, devmap and cpumap entries hold them).
/// </summary>
public static class ProgramMapBinding
{
    /// <summary>
    /// Adds <paramref name="map"/> to the maps this program holds (BPF_PROG_BIND_MAP, Linux 5.8+), although no
    /// instruction refers to it: the map lives as long as the program and is listed in its <see cref="ProgramInfo.MapIds"/>.
    /// libbpf does this with an object's <c>.rodata</c> so tools can find a program's constants.
    /// </summary>
    /// <exception cref="KernelFeatureMissingException">The kernel has no BPF_PROG_BIND_MAP.</exception>
    /// <exception cref="BpfException">The kernel refused (e.g. the program already holds 64 maps: E2BIG).</exception>
    /// <param name="program">The program that will hold the map.</param>
    /// <param name="map">The map to hold.</param>
    public static void BindMap(this KernelProgram program, KernelMap map)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(map);
        var attr = new ProgBindMapAttr();
        int r;
        using (program.Handle.Lease(out attr.ProgFd))
        using (map.Handle.Lease(out attr.MapFd))
            r = Bpf.Invoke(BpfCommand.ProgBindMap, ref attr);
        if (r == -(int)Errno.EINVAL) KernelFeatures.ProgBindMap.ThrowIfMissing();
        BpfErrors.Check(r, "bind map", $"{map.Describe()} to program {program.Describe()}");
    }
}
