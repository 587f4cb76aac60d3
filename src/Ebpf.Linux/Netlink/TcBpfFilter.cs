namespace Ebpf.Linux.Netlink;

/// <summary>
/// A cls_bpf filter of an interface as an RTM_GETTFILTER dump reports it: what <c>tc filter show dev X ingress</c> and
/// the clsact/root rows of <c>bpftool net show</c> list. Filters attached the tcx way are no filters: see
/// <see cref="Links.ProgramQuery.Interface"/>.
/// </summary>
/// <param name="Ifindex">The interface's index.</param>
/// <param name="Parent">The qdisc hook the filter hangs under.</param>
/// <param name="Priority">The filter's priority (<c>tc filter ... prio</c>).</param>
/// <param name="Handle">The filter's handle (<c>tc filter ... handle</c>).</param>
/// <param name="ProgramId">The program's id (TCA_BPF_ID, Linux 4.13+; 0 before).</param>
/// <param name="Name">The name the filter was given (TCA_BPF_NAME: tc writes "OBJECT:[SECTION]"), or null.</param>
/// <param name="DirectAction">True in direct-action mode (<c>da</c>): the program's return value is the tc verdict.</param>
public sealed record TcBpfFilter(int Ifindex, TcFilterParent Parent, ushort Priority, uint Handle, uint ProgramId, string? Name, bool DirectAction)
{
    private const ushort RtmGetTfilter = 46;
    private const ushort TcaKind = 1, TcaOptions = 2, TcaBpfName = 7, TcaBpfFlags = 8, TcaBpfId = 11;
    private const uint FlagDirectAction = 1;   // TCA_BPF_FLAG_ACT_DIRECT

    /// <summary>
    /// The cls_bpf filters of interface <paramref name="ifindex"/> of the calling thread's namespace under
    /// <paramref name="parent"/>, in the kernel's order (by priority). The kernel answers a dump for a qdisc or an
    /// interface that does not exist with no filters, not with an error, and so does this.
    /// </summary>
    /// <exception cref="BpfException">The netlink request failed.</exception>
    public static IReadOnlyList<TcBpfFilter> List(int ifindex, TcFilterParent parent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ifindex, 1);
        using var socket = NetlinkSocket.Open();
        var message = new NetlinkMessage(RtmGetTfilter, NetlinkSocket.FlagRequest | NetlinkSocket.FlagDump)
            .Raw(RouteHeaders.TrafficControl(ifindex, 0, (uint)parent, 0));
        List<byte[]> answers;
        try
        {
            answers = socket.Request(message, $"list tc filters of interface {ifindex} under {parent}");
        }
        catch (BpfException e) when (e.Errno is Errno.EINVAL or Errno.ENOENT)
        {
            return [];   // no such qdisc or block, should a kernel say so instead of dumping nothing
        }
        var filters = new List<TcBpfFilter>();
        foreach (byte[] answer in answers)
            if (Parse(answer) is { } filter) filters.Add(filter);
        return filters;
    }

    // Besides one message per filter the dump holds one per priority (a tcf_proto) without TCA_OPTIONS: not a filter.
    private static TcBpfFilter? Parse(byte[] answer)
    {
        var (ifindex, handle, parent, info) = RouteHeaders.ReadTrafficControl(answer);
        string kind = "";
        string? name = null;
        uint id = 0, flags = 0;
        bool options = false;
        foreach (var (type, value) in NetlinkMessage.Attributes(answer, RouteHeaders.TrafficControlLength))
        {
            if (type == TcaKind) kind = RouteHeaders.String(value);
            else if (type == TcaOptions)
            {
                options = true;
                foreach (var (option, v) in NetlinkMessage.Attributes(value, 0))
                {
                    if (option == TcaBpfName) name = RouteHeaders.String(v);
                    else if (option == TcaBpfId) id = RouteHeaders.U32(v);
                    else if (option == TcaBpfFlags) flags = RouteHeaders.U32(v);
                }
            }
        }
        if (kind != "bpf" || !options) return null;
        // tcm_info = TC_H_MAKE(prio << 16, protocol)
        return new TcBpfFilter(ifindex, (TcFilterParent)parent, (ushort)(info >> 16), handle, id, name, (flags & FlagDirectAction) != 0);
    }
}
