using System.Buffers.Binary;
using Ebpf.Linux.Netlink;

namespace Ebpf.Linux.Links;

/// <summary>
/// An XDP program attached the way <c>ip link set dev X xdp|xdpgeneric|xdpdrv obj ...</c> does it: RTM_SETLINK with
/// IFLA_XDP (Linux 4.8+). Unlike an <see cref="XdpLink"/> the attachment is a property of the interface and outlives
/// this process; disposing detaches it (IFLA_XDP_FD -1) through the netlink socket of the attaching namespace.
/// </summary>
public sealed class XdpNetlinkAttachment : IDisposable
{
    private const ushort RtmGetLink = 18, RtmSetLink = 19;       // the answer to RTM_GETLINK is an RTM_NEWLINK
    private const ushort IflaXdp = 43, IflaXdpFd = 1, IflaXdpAttached = 2, IflaXdpFlags = 3, IflaXdpProgId = 4;
    private const ushort IflaXdpExpectedFd = 8;
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
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type != ProgramType.Xdp) throw new ArgumentException($"{program} is not an XDP program", nameof(program));
        ArgumentOutOfRangeException.ThrowIfLessThan(ifindex, 1);
        var socket = NetlinkSocket.Open();
        try
        {
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
            return new XdpNetlinkAttachment(socket, ifindex, mode);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The XDP program attached to interface <paramref name="ifindex"/> of the calling thread's namespace (by link or
    /// netlink), as <c>ip link show</c> reports it, or null when none is.
    /// </summary>
    public static XdpAttachmentInfo? Query(int ifindex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ifindex, 1);
        using var socket = NetlinkSocket.Open();
        var message = new NetlinkMessage(RtmGetLink, NetlinkSocket.FlagRequest).Raw(InterfaceHeader(ifindex));
        foreach (byte[] answer in socket.Request(message, $"query XDP of ifindex {ifindex}"))
            foreach (var (type, value) in NetlinkMessage.Attributes(answer, 16))
            {
                if (type != IflaXdp) continue;
                byte attached = 0;
                uint programId = 0;
                foreach (var (xtype, xvalue) in NetlinkMessage.Attributes(value, 0))
                {
                    if (xtype == IflaXdpAttached) attached = xvalue[0];
                    else if (xtype == IflaXdpProgId) programId = BinaryPrimitives.ReadUInt32LittleEndian(xvalue);
                }
                return attached == 0 ? null : new XdpAttachmentInfo(programId, (XdpAttachedMode)attached);
            }
        return null;
    }

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
                .Raw(InterfaceHeader(Ifindex))
                .BeginNested(IflaXdp)
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

    private static void Set(NetlinkSocket socket, int ifindex, int fd, uint flags, string what)
    {
        var message = new NetlinkMessage(RtmSetLink, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck)
            .Raw(InterfaceHeader(ifindex))
            .BeginNested(IflaXdp).U32(IflaXdpFd, (uint)fd).U32(IflaXdpFlags, flags).EndNested();
        socket.Request(message, what);
    }

    // struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index; u32 flags; u32 change; }
    private static byte[] InterfaceHeader(int ifindex)
    {
        byte[] header = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), ifindex);
        return header;
    }
}
