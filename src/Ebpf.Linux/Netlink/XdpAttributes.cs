using Ebpf.Linux.Links;

namespace Ebpf.Linux.Netlink;

/// <summary>Reads the nested IFLA_XDP attribute of an RTM_NEWLINK answer: which XDP programs run, in which modes.</summary>
internal static class XdpAttributes
{
    internal const ushort Type = 43;   // IFLA_XDP
    private const ushort Attached = 2, ProgramId = 4, DriverProgramId = 5, GenericProgramId = 6, OffloadProgramId = 7;

    /// <summary>The attached programs, one per mode (generic, native, offload), from the value of IFLA_XDP.</summary>
    internal static IReadOnlyList<XdpAttachmentInfo> Programs(byte[] value)
    {
        var mode = XdpAttachedMode.None;
        uint single = 0, generic = 0, native = 0, offload = 0;
        foreach (var (type, v) in NetlinkMessage.Attributes(value, 0))
        {
            switch (type)
            {
                case Attached: mode = (XdpAttachedMode)v[0]; break;
                case ProgramId: single = RouteHeaders.U32(v); break;
                case GenericProgramId: generic = RouteHeaders.U32(v); break;
                case DriverProgramId: native = RouteHeaders.U32(v); break;
                case OffloadProgramId: offload = RouteHeaders.U32(v); break;
            }
        }
        var programs = new List<XdpAttachmentInfo>(1);
        if (generic != 0) programs.Add(new XdpAttachmentInfo(generic, XdpAttachedMode.Generic));
        if (native != 0) programs.Add(new XdpAttachmentInfo(native, XdpAttachedMode.Native));
        if (offload != 0) programs.Add(new XdpAttachmentInfo(offload, XdpAttachedMode.Offload));
        // The per-mode ids came in 4.19 (IFLA_XDP_PROG_ID in 4.13): before them only the one program and its mode.
        if (programs.Count == 0 && mode is not (XdpAttachedMode.None or XdpAttachedMode.Multiple) && single != 0)
            programs.Add(new XdpAttachmentInfo(single, mode));
        return programs;
    }
}
