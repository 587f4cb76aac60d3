using Ebpf.Linux.Netlink;

namespace Ebpf.Linux.Links;

/// <summary>
/// An XDP program attached the way <c>ip link set dev X xdp|xdpgeneric|xdpdrv obj ...</c> does it: RTM_SETLINK with
/// IFLA_XDP (Linux 4.8+). Unlike an <see cref="XdpLink"/> the attachment is a property of the interface and outlives
/// this process; disposing detaches it (IFLA_XDP_FD -1) through the netlink socket of the attaching namespace.
/// </summary>
public sealed class XdpNetlinkAttachment : IDisposable
{
    private const ushort RtmSetLink = 19;
    private const ushort IflaXdpFd = 1, IflaXdpFlags = 3, IflaXdpExpectedFd = 8;   // inside IFLA_XDP
    private const uint UpdateIfNoExist = 1, Replace = 1u << 4;  // XDP_FLAGS_UPDATE_IF_NOEXIST, XDP_FLAGS_REPLACE (5.7+)
    private readonly NetlinkSocket _socket;
    private bool _detached;

    private XdpNetlinkAttachment(NetlinkSocket socket, int ifindex, XdpMode mode) => (_socket, Ifindex, Mode) = (socket, ifindex, mode);

    /// <summary>The interface's index.</summary>
    public int Ifindex { get; }

    /// <summary>The mode asked for.</summary>
    public XdpMode Mode { get; }

    /// <summary>
    /// Attaches <paramref name="program"/> to interface <paramref name="ifindex"/> of the calling thread's namespace.
    /// </summary>
    /// <param name="program">An XDP program.</param>
    /// <param name="ifindex">The interface.</param>
    /// <param name="mode">Generic (<c>xdpgeneric</c>), native (<c>xdpdrv</c>) or the driver's default (<c>xdp</c>).</param>
    /// <param name="replace">False: fail with EBUSY when a program is attached already (XDP_FLAGS_UPDATE_IF_NOEXIST,
    /// what <c>ip link set ... xdp</c> does without <c>-force</c>); true: replace it.</param>
    /// <exception cref="BpfException">EBUSY: a program (or an XDP link) is attached; ENODEV: no such interface.</exception>
    public static XdpNetlinkAttachment Attach(KernelProgram program, int ifindex, XdpMode mode = XdpMode.Default, bool replace = false)
    {
        CheckArguments(program, ifindex);
        var socket = NetlinkSocket.Open();
        try
        {
            SetProgram(socket, ifindex, program, mode, replace);
            return new XdpNetlinkAttachment(socket, ifindex, mode);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Attaches <paramref name="program"/> to interface <paramref name="ifindex"/> of the calling thread's namespace
    /// without an owner, as <c>bpftool net attach xdp</c> and <c>ip link set dev X xdp</c> do: it stays attached, after
    /// this process too, until <see cref="DetachFromInterface"/> (or until the interface goes). For an attachment that
    /// detaches when disposed, use <see cref="Attach"/>.
    /// </summary>
    /// <param name="program">An XDP program.</param>
    /// <param name="ifindex">The interface.</param>
    /// <param name="mode">Generic (<c>xdpgeneric</c>), native (<c>xdpdrv</c>), offloaded (<c>xdpoffload</c>) or the
    /// driver's default (<c>xdp</c>).</param>
    /// <param name="replace">False: fail with EBUSY when a program is attached already (bpftool without
    /// <c>overwrite</c>); true: replace it.</param>
    /// <exception cref="BpfException">EBUSY or EEXIST: a program (or an XDP link) is attached; ENODEV: no such interface.</exception>
    /// <exception cref="KernelFeatureMissingException">EOPNOTSUPP: the driver has no such XDP mode.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM: needs CAP_NET_ADMIN.</exception>
    public static void AttachToInterface(KernelProgram program, int ifindex, XdpMode mode = XdpMode.Default, bool replace = false)
    {
        CheckArguments(program, ifindex);
        using var socket = NetlinkSocket.Open();
        SetProgram(socket, ifindex, program, mode, replace);
    }

    /// <summary>
    /// Detaches the XDP program of <paramref name="mode"/> from interface <paramref name="ifindex"/> of the calling
    /// thread's namespace, whoever attached it by netlink (<c>bpftool net detach xdp</c>, <c>ip link set dev X xdp off</c>).
    /// Nothing attached is no error.
    /// </summary>
    /// <exception cref="BpfException">ENODEV: no such interface; EBUSY: the program is attached by an <see cref="XdpLink"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM: needs CAP_NET_ADMIN.</exception>
    public static void DetachFromInterface(int ifindex, XdpMode mode = XdpMode.Default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ifindex, 1);
        using var socket = NetlinkSocket.Open();
        Set(socket, ifindex, -1, (uint)mode, $"detach XDP by netlink from ifindex {ifindex} ({mode})");
    }

    /// <summary>
    /// The XDP program attached to interface <paramref name="ifindex"/> of the calling thread's namespace (by link or
    /// netlink), as <c>ip link show</c> reports it, or null when none is. With programs in several modes at once
    /// (<see cref="XdpAttachedMode.Multiple"/>) the id is 0: <see cref="NetworkInterface.XdpPrograms"/> lists each.
    /// </summary>
    /// <exception cref="BpfException">ENODEV: no such interface.</exception>
    public static XdpAttachmentInfo? Query(int ifindex) => NetworkInterface.Get(ifindex).XdpPrograms switch
    {
        [] => null,
        [var one] => one,
        _ => new XdpAttachmentInfo(0, XdpAttachedMode.Multiple),
    };

    /// <summary>
    /// Replaces the attached program with <paramref name="program"/> in one step (the driver swaps the pointer: every
    /// packet runs the old or the new program), what <c>ip link set ... xdp ... -force</c> does.
    /// </summary>
    /// <param name="program">The new XDP program.</param>
    /// <param name="expected">When given, replace only while this program is attached (XDP_FLAGS_REPLACE with
    /// IFLA_XDP_EXPECTED_FD, Linux 5.7+).</param>
    /// <exception cref="ObjectDisposedException">The attachment is detached.</exception>
    /// <exception cref="BpfException">EEXIST: <paramref name="expected"/> is not the attached program.</exception>
    public void Update(KernelProgram program, KernelProgram? expected = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ObjectDisposedException.ThrowIf(_detached, this);
        if (program.Type != ProgramType.Xdp) throw new ArgumentException($"{program} is not an XDP program", nameof(program));
        bool addedNew = false, addedOld = false;
        program.Handle.DangerousAddRef(ref addedNew);
        try
        {
            expected?.Handle.DangerousAddRef(ref addedOld);
            var message = new NetlinkMessage(RtmSetLink, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck)
                .Raw(RouteHeaders.Interface(Ifindex))
                .BeginNested(XdpAttributes.Type)
                .U32(IflaXdpFd, (uint)(int)program.Handle.DangerousGetHandle())
                .U32(IflaXdpFlags, (uint)Mode | (expected is null ? 0 : Replace));
            if (expected is not null) message.U32(IflaXdpExpectedFd, (uint)(int)expected.Handle.DangerousGetHandle());
            _socket.Request(message.EndNested(), $"replace the program of {this} with {program}");
        }
        finally
        {
            if (addedOld) expected!.Handle.DangerousRelease();
            if (addedNew) program.Handle.DangerousRelease();
        }
    }

    /// <summary>Detaches the program (IFLA_XDP_FD -1 with the same mode) and closes the netlink socket.</summary>
    public void Dispose()
    {
        if (_detached) return;
        _detached = true;
        try { Set(_socket, Ifindex, -1, (uint)Mode, $"detach XDP by netlink from ifindex {Ifindex}"); }
        finally { _socket.Dispose(); }
    }

    /// <summary>For messages.</summary>
    public override string ToString() => $"XDP netlink attachment on ifindex {Ifindex} ({Mode})";

    private static void CheckArguments(KernelProgram program, int ifindex)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type != ProgramType.Xdp) throw new ArgumentException($"{program} is not an XDP program", nameof(program));
        ArgumentOutOfRangeException.ThrowIfLessThan(ifindex, 1);
    }

    private static void SetProgram(NetlinkSocket socket, int ifindex, KernelProgram program, XdpMode mode, bool replace)
    {
        // The fd number goes into the message: hold the handle until the kernel has answered.
        bool added = false;
        program.Handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)program.Handle.DangerousGetHandle();
            Set(socket, ifindex, fd, (uint)mode | (replace ? 0 : UpdateIfNoExist), $"attach XDP {program} by netlink to ifindex {ifindex} ({mode})");
        }
        finally
        {
            if (added) program.Handle.DangerousRelease();
        }
    }

    private static void Set(NetlinkSocket socket, int ifindex, int fd, uint flags, string what)
    {
        var message = new NetlinkMessage(RtmSetLink, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck)
            .Raw(RouteHeaders.Interface(ifindex))
            .BeginNested(XdpAttributes.Type).U32(IflaXdpFd, (uint)fd).U32(IflaXdpFlags, flags).EndNested();
        socket.Request(message, what);
    }
}
