using System.Diagnostics.CodeAnalysis;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>
/// Every BPF object the kernel holds, by id (BPF_*_GET_NEXT_ID), and fds for them (BPF_*_GET_FD_BY_ID), as
/// <c>bpftool prog/map/link/btf list</c> walks them. Requires CAP_SYS_ADMIN.
/// </summary>
public static class KernelObjects
{
    /// <summary>Ids of all loaded programs, ascending.</summary>
    public static IEnumerable<uint> ProgramIds() => Ids(BpfCommand.ProgGetNextId, "program");

    /// <summary>Ids of all maps, ascending.</summary>
    public static IEnumerable<uint> MapIds() => Ids(BpfCommand.MapGetNextId, "map");

    /// <summary>Ids of all links, ascending (Linux 5.8+).</summary>
    public static IEnumerable<uint> LinkIds() => Ids(BpfCommand.LinkGetNextId, "link");

    /// <summary>Ids of all BTF objects (vmlinux, modules, programs'), ascending.</summary>
    public static IEnumerable<uint> BtfIds() => Ids(BpfCommand.BtfGetNextId, "BTF");

    /// <summary>Opens the program with <paramref name="id"/>.</summary>
    /// <exception cref="BpfException">ENOENT: no such program (any more).</exception>
    public static SafeBpfHandle OpenProgramById(uint id) => Open(BpfCommand.ProgGetFdById, id, "program");

    /// <summary>Opens the map with <paramref name="id"/>.</summary>
    /// <exception cref="BpfException">ENOENT: no such map (any more).</exception>
    public static SafeBpfHandle OpenMapById(uint id) => Open(BpfCommand.MapGetFdById, id, "map");

    /// <summary>Opens the link with <paramref name="id"/>.</summary>
    /// <exception cref="BpfException">ENOENT: no such link (any more).</exception>
    public static SafeBpfHandle OpenLinkById(uint id) => Open(BpfCommand.LinkGetFdById, id, "link");

    /// <summary>Opens the BTF object with <paramref name="id"/>.</summary>
    /// <exception cref="BpfException">ENOENT: no such BTF object (any more).</exception>
    public static SafeBpfHandle OpenBtfById(uint id) => Open(BpfCommand.BtfGetFdById, id, "BTF");

    /// <summary>Opens the program with <paramref name="id"/>; false when there is none (any more): ids go stale as programs unload.</summary>
    /// <exception cref="BpfException">Any other failure (EPERM: needs CAP_SYS_ADMIN).</exception>
    public static bool TryOpenProgramById(uint id, [NotNullWhen(true)] out SafeBpfHandle? handle) => TryOpen(BpfCommand.ProgGetFdById, id, "program", out handle);

    /// <summary>Opens the map with <paramref name="id"/>; false when there is none (any more).</summary>
    /// <exception cref="BpfException">Any other failure (EPERM: needs CAP_SYS_ADMIN).</exception>
    public static bool TryOpenMapById(uint id, [NotNullWhen(true)] out SafeBpfHandle? handle) => TryOpen(BpfCommand.MapGetFdById, id, "map", out handle);

    /// <summary>Opens the link with <paramref name="id"/>; false when there is none (any more).</summary>
    /// <exception cref="BpfException">Any other failure (EPERM: needs CAP_SYS_ADMIN).</exception>
    public static bool TryOpenLinkById(uint id, [NotNullWhen(true)] out SafeBpfHandle? handle) => TryOpen(BpfCommand.LinkGetFdById, id, "link", out handle);

    /// <summary>Opens the BTF object with <paramref name="id"/>; false when there is none (any more).</summary>
    /// <exception cref="BpfException">Any other failure (EPERM: needs CAP_SYS_ADMIN).</exception>
    public static bool TryOpenBtfById(uint id, [NotNullWhen(true)] out SafeBpfHandle? handle) => TryOpen(BpfCommand.BtfGetFdById, id, "BTF", out handle);

    private static bool TryOpen(BpfCommand command, uint id, string kind, [NotNullWhen(true)] out SafeBpfHandle? handle)
    {
        var attr = new GetIdAttr { StartId = id };
        int r = Bpf.Invoke(command, ref attr);
        handle = r == -(int)Errno.ENOENT ? null : BpfErrors.CheckFd(r, $"open {kind}", $"id {id}");
        return handle is not null;
    }

    private static IEnumerable<uint> Ids(BpfCommand command, string kind)
    {
        uint id = 0;
        while (true)
        {
            var attr = new GetIdAttr { StartId = id };
            int r = Bpf.Invoke(command, ref attr);
            if (r == -(int)Errno.ENOENT) yield break;
            BpfErrors.Check(r, $"list {kind} ids", $"after id {id}");
            yield return id = attr.NextId;
        }
    }

    private static SafeBpfHandle Open(BpfCommand command, uint id, string kind)
    {
        var attr = new GetIdAttr { StartId = id };
        return BpfErrors.CheckFd(Bpf.Invoke(command, ref attr), $"open {kind}", $"id {id}");
    }
}
