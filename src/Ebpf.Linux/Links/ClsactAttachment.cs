using Ebpf.Linux.Netlink;

namespace Ebpf.Linux.Links;

/// <summary>
/// A TC program attached the pre-tcx way, as <c>tc qdisc add dev X clsact; tc filter add dev X egress prio P handle H
/// bpf da fd F</c> does: a clsact qdisc (created when missing) and a cls_bpf filter in direct-action mode, over
/// netlink. Disposing deletes the filter, and the qdisc when this attachment created it.
/// </summary>
public sealed class ClsactAttachment : ITcAttachment
{
    private const ushort RtmNewQdisc = 36, RtmDelQdisc = 37, RtmNewTfilter = 44, RtmDelTfilter = 45;
    private const ushort FlagCreate = 0x400, FlagExclusive = 0x200, FlagReplace = 0x100;
    private const ushort TcaKind = 1, TcaOptions = 2, TcaBpfFd = 6, TcaBpfName = 7, TcaBpfFlags = 8;
    private const uint ClsactParent = 0xFFFFFFF1, ClsactHandle = 0xFFFF0000, DirectAction = 1;
    private readonly NetlinkSocket _socket;
    private readonly bool _createdQdisc;
    private bool _disposed;

    private ClsactAttachment(NetlinkSocket socket, int ifindex, TcDirection direction, ushort priority, uint handle, bool createdQdisc) =>
        (_socket, Ifindex, Direction, Priority, FilterHandle, _createdQdisc) = (socket, ifindex, direction, priority, handle, createdQdisc);

    /// <summary>The interface's index.</summary>
    public int Ifindex { get; }
    /// <summary>Ingress or egress.</summary>
    public TcDirection Direction { get; }
    /// <summary>The filter's priority (<c>tc filter ... prio</c>).</summary>
    public ushort Priority { get; }
    /// <summary>The filter's handle (<c>tc filter ... handle</c>).</summary>
    public uint FilterHandle { get; }

    /// <summary>Attaches <paramref name="program"/> (a SchedClassifier) to interface <paramref name="ifindex"/> of the calling thread's namespace.</summary>
    /// <exception cref="BpfException">EEXIST: a filter with this priority and handle exists; ENODEV: no such interface.</exception>
    public static ClsactAttachment Attach(KernelProgram program, int ifindex, TcDirection direction, ushort priority = 1, uint handle = 1)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type != ProgramType.SchedClassifier) throw new ArgumentException($"{program} is not a SchedClassifier program", nameof(program));
        ArgumentOutOfRangeException.ThrowIfLessThan(ifindex, 1);
        ArgumentOutOfRangeException.ThrowIfZero(priority);
        var socket = NetlinkSocket.Open();
        bool created = false;
        try
        {
            try
            {
                socket.Request(new NetlinkMessage(RtmNewQdisc, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck | FlagCreate | FlagExclusive)
                    .Raw(RouteHeaders.TrafficControl(ifindex, ClsactHandle, ClsactParent, 0)).String(TcaKind, "clsact"), $"add clsact qdisc to ifindex {ifindex}");
                created = true;
            }
            catch (BpfException e) when (e.Errno == Errno.EEXIST) { }   // shared with other filters: leave it
            SetFilter(socket, program, ifindex, direction, priority, handle, FlagCreate | FlagExclusive, $"add bpf filter {program} to ifindex {ifindex} {direction}");
            return new ClsactAttachment(socket, ifindex, direction, priority, handle, created);
        }
        catch
        {
            if (created) TryDeleteQdisc(socket, ifindex);
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Always <see cref="TcAttachMode.Clsact"/>.</summary>
    public TcAttachMode Mode => TcAttachMode.Clsact;

    /// <summary>
    /// Replaces the filter's program (<c>tc filter replace ... bpf da fd F</c>): cls_bpf swaps the program under RCU,
    /// so every packet runs the old or the new one.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The attachment is disposed.</exception>
    /// <exception cref="BpfException">ENOENT: the filter was deleted behind this object's back.</exception>
    public void Update(KernelProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (program.Type != ProgramType.SchedClassifier) throw new ArgumentException($"{program} is not a SchedClassifier program", nameof(program));
        SetFilter(_socket, program, Ifindex, Direction, Priority, FilterHandle, FlagReplace, $"replace the program of {this} with {program}");
    }

    private static void SetFilter(NetlinkSocket socket, KernelProgram program, int ifindex, TcDirection direction, ushort priority, uint handle,
        ushort flags, string what)
    {
        bool added = false;
        program.Handle.DangerousAddRef(ref added);
        try
        {
            var message = new NetlinkMessage(RtmNewTfilter, (ushort)(NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck | flags))
                .Raw(RouteHeaders.TrafficControl(ifindex, handle, Parent(direction), Info(priority)))
                .String(TcaKind, "bpf")
                .BeginNested(TcaOptions)
                .U32(TcaBpfFd, (uint)(int)program.Handle.DangerousGetHandle())
                .String(TcaBpfName, program.Name)
                .U32(TcaBpfFlags, DirectAction)
                .EndNested();
            socket.Request(message, what);
        }
        finally
        {
            if (added) program.Handle.DangerousRelease();
        }
    }

    /// <summary>Deletes the filter, and the clsact qdisc when this attachment created it.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            _socket.Request(new NetlinkMessage(RtmDelTfilter, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck)
                .Raw(RouteHeaders.TrafficControl(Ifindex, FilterHandle, Parent(Direction), Info(Priority))).String(TcaKind, "bpf"), $"delete bpf filter from ifindex {Ifindex}");
            if (_createdQdisc) TryDeleteQdisc(_socket, Ifindex);
        }
        finally
        {
            _socket.Dispose();
        }
    }

    private static void TryDeleteQdisc(NetlinkSocket socket, int ifindex)
    {
        try
        {
            socket.Request(new NetlinkMessage(RtmDelQdisc, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck)
                .Raw(RouteHeaders.TrafficControl(ifindex, ClsactHandle, ClsactParent, 0)).String(TcaKind, "clsact"), $"delete clsact qdisc of ifindex {ifindex}");
        }
        catch (BpfException e) when (e.Errno is Errno.ENOENT or Errno.EINVAL) { }   // already gone with the interface
    }

    private static uint Parent(TcDirection direction) => (uint)(direction == TcDirection.Ingress ? TcFilterParent.ClsactIngress : TcFilterParent.ClsactEgress);

    // tcm_info = TC_H_MAKE(prio << 16, htons(ETH_P_ALL))
    private static uint Info(ushort priority) => ((uint)priority << 16) | 0x0300;

    /// <summary>For messages.</summary>
    public override string ToString() => $"clsact {Direction} bpf filter prio {Priority} handle {FilterHandle} on ifindex {Ifindex}";
}
