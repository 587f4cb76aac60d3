using Ebpf.Cli.Output;
using Ebpf.Linux.Links;
using Ebpf.Linux.Netlink;

namespace Ebpf.Cli.Commands.Net;

/// <summary>bpftool's ATTACH_TYPE for <c>net attach|detach</c>: the XDP modes by netlink and the tcx hooks.</summary>
internal enum NetAttachType
{
    /// <summary><c>xdp</c>: the driver's choice (native when it has it).</summary>
    Xdp,
    /// <summary><c>xdpgeneric</c>: generic XDP on the sk_buff (XDP_FLAGS_SKB_MODE).</summary>
    XdpGeneric,
    /// <summary><c>xdpdrv</c>: native XDP (XDP_FLAGS_DRV_MODE).</summary>
    XdpDriver,
    /// <summary><c>xdpoffload</c>: offloaded to the NIC (XDP_FLAGS_HW_MODE).</summary>
    XdpOffload,
    /// <summary><c>tcx_ingress</c> (BPF_TCX_INGRESS, Linux 6.6+).</summary>
    TcxIngress,
    /// <summary><c>tcx_egress</c> (BPF_TCX_EGRESS, Linux 6.6+).</summary>
    TcxEgress,
}

/// <summary>Names and kernel flags of <see cref="NetAttachType"/>.</summary>
internal static class NetAttachTypes
{
    /// <summary>The names bpftool accepts, in its order.</summary>
    public static readonly string[] Names = ["xdp", "xdpgeneric", "xdpdrv", "xdpoffload", "tcx_ingress", "tcx_egress"];

    /// <summary>Parses ATTACH_TYPE.</summary>
    public static NetAttachType Parse(string word)
    {
        int i = Array.IndexOf(Names, word);
        return i >= 0 ? (NetAttachType)i : throw new CliError($"invalid net attach/detach type '{word}': expected one of {string.Join(", ", Names)}");
    }

    /// <summary>True for the tcx hooks.</summary>
    public static bool IsTcx(this NetAttachType type) => type is NetAttachType.TcxIngress or NetAttachType.TcxEgress;

    /// <summary>The XDP mode of an XDP type.</summary>
    public static XdpMode XdpMode(this NetAttachType type) => type switch
    {
        NetAttachType.XdpGeneric => Linux.Links.XdpMode.Generic,
        NetAttachType.XdpDriver => Linux.Links.XdpMode.Native,
        NetAttachType.XdpOffload => Linux.Links.XdpMode.Offload,
        _ => Linux.Links.XdpMode.Default,
    };

    /// <summary>The bpf attach type of a tcx hook.</summary>
    public static AttachType TcxAttachType(this NetAttachType type) =>
        type == NetAttachType.TcxIngress ? AttachType.TcxIngress : AttachType.TcxEgress;

    /// <summary>Parses <c>dev IF</c> at <paramref name="index"/> and resolves the interface in this namespace.</summary>
    public static (string Name, int Ifindex) ParseDevice(IReadOnlyList<string> args, ref int index)
    {
        if (index >= args.Count || args[index] != "dev") throw new CliError($"expected 'dev IF', got '{(index < args.Count ? args[index] : "nothing")}'");
        if (index + 1 >= args.Count) throw new CliError("'dev' needs an interface name");
        string name = args[index + 1];
        index += 2;
        if (!NetworkInterface.TryGet(name, out NetworkInterface? match))
            throw new CliError($"invalid devname {name}: no such interface in this network namespace (see 'ip link'; enter another with 'nsenter --net=/var/run/netns/NAME')");
        return (name, match.Ifindex);
    }
}
