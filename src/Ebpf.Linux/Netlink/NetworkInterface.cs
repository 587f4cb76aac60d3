using System.Diagnostics.CodeAnalysis;
using Ebpf.Linux.Links;

namespace Ebpf.Linux.Netlink;

/// <summary>
/// A network interface of the calling thread's network namespace as rtnetlink reports it (RTM_GETLINK), with the XDP
/// programs attached to it: what <c>ip link show</c> and the xdp section of <c>bpftool net show</c> list. To look into
/// another namespace, call these inside <see cref="NetNs.NetworkNamespace.Run{T}(string, Func{T})"/>.
/// </summary>
/// <param name="Ifindex">The interface's index.</param>
/// <param name="Name">The interface's name ("eth0").</param>
public sealed record NetworkInterface(int Ifindex, string Name)
{
    private const ushort RtmGetLink = 18;   // answered by RTM_NEWLINK messages
    private const ushort IflaIfname = 3;

    /// <summary>
    /// The XDP programs attached, one per mode, generic first, then native, then offloaded (IFLA_XDP_SKB_PROG_ID,
    /// IFLA_XDP_DRV_PROG_ID, IFLA_XDP_HW_PROG_ID); empty when none is. The kernel allows native or generic, each
    /// alongside an offloaded one, so more than one entry means XDP_ATTACHED_MULTI.
    /// </summary>
    public IReadOnlyList<XdpAttachmentInfo> XdpPrograms { get; init; } = [];

    /// <summary>Every interface of the calling thread's namespace, by ascending index (an RTM_GETLINK dump).</summary>
    /// <exception cref="BpfException">The netlink request failed.</exception>
    public static IReadOnlyList<NetworkInterface> List()
    {
        using var socket = NetlinkSocket.Open();
        var message = new NetlinkMessage(RtmGetLink, NetlinkSocket.FlagRequest | NetlinkSocket.FlagDump).Raw(RouteHeaders.Interface(0));
        return [.. socket.Request(message, "list network interfaces").Select(Parse).OrderBy(i => i.Ifindex)];
    }

    /// <summary>The interface with index <paramref name="ifindex"/>.</summary>
    /// <exception cref="BpfException">ENODEV: no such interface in this namespace.</exception>
    public static NetworkInterface Get(int ifindex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ifindex, 1);
        using var socket = NetlinkSocket.Open();
        var message = new NetlinkMessage(RtmGetLink, NetlinkSocket.FlagRequest).Raw(RouteHeaders.Interface(ifindex));
        return Parse(socket.Request(message, $"get network interface {ifindex}").Single());
    }

    /// <summary>Looks up the interface named <paramref name="name"/>; false when this namespace has none.</summary>
    /// <exception cref="BpfException">The netlink request failed for another reason than a missing interface.</exception>
    public static bool TryGet(string name, [NotNullWhen(true)] out NetworkInterface? found)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var socket = NetlinkSocket.Open();
        // Index 0 with IFLA_IFNAME asks by name (the kernel answers ENODEV for an unknown one).
        var message = new NetlinkMessage(RtmGetLink, NetlinkSocket.FlagRequest).Raw(RouteHeaders.Interface(0)).String(IflaIfname, name);
        try
        {
            found = Parse(socket.Request(message, $"get network interface '{name}'").Single());
            return true;
        }
        catch (BpfException e) when (e.Errno == Errno.ENODEV)
        {
            found = null;
            return false;
        }
    }

    /// <summary>For messages: "eth0(2)", as bpftool writes an interface.</summary>
    public override string ToString() => $"{Name}({Ifindex})";

    private static NetworkInterface Parse(byte[] answer)
    {
        string name = "";
        IReadOnlyList<XdpAttachmentInfo> xdp = [];
        foreach (var (type, value) in NetlinkMessage.Attributes(answer, RouteHeaders.InterfaceLength))
        {
            if (type == IflaIfname) name = RouteHeaders.String(value);
            else if (type == XdpAttributes.Type) xdp = XdpAttributes.Programs(value);
        }
        return new NetworkInterface(RouteHeaders.InterfaceIndex(answer), name) { XdpPrograms = xdp };
    }
}
