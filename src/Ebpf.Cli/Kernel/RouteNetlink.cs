using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Ebpf.Linux;

namespace Ebpf.Cli.Kernel;

/// <summary>
/// A minimal rtnetlink client for what <c>net show|attach|detach</c> need: dump interfaces with their IFLA_XDP state,
/// dump a hook's tc filters, and set or clear an interface's XDP program, in the calling process's network namespace.
/// </summary>
/// <remarks>A stopgap beside Ebpf.Linux's internal NetlinkSocket, which offers no dumps; replace once it does.</remarks>
internal sealed unsafe partial class RouteNetlink : IDisposable
{
    private const int AfNetlink = 16, SockRaw = 3, SockCloexec = 0x80000, NetlinkRoute = 0;
    private const ushort Request = 1, Ack = 4, Dump = 0x300, Done = 3, Error = 2;
    private const ushort GetLink = 18, SetLink = 19, GetFilter = 46;
    private const ushort IflaIfname = 3, IflaXdp = 43;
    private const ushort XdpFd = 1, XdpAttached = 2, XdpFlags = 3, XdpProgId = 4, XdpDrvProgId = 5, XdpSkbProgId = 6, XdpHwProgId = 7;
    private const ushort TcaKind = 1, TcaOptions = 2, TcaBpfName = 7, TcaBpfId = 11;
    private readonly int _fd;
    private uint _sequence;

    private RouteNetlink(int fd) => _fd = fd;

    /// <summary>Opens a NETLINK_ROUTE socket.</summary>
    public static RouteNetlink Open()
    {
        int fd = Socket(AfNetlink, SockRaw | SockCloexec, NetlinkRoute);
        if (fd < 0) throw new BpfException($"open rtnetlink socket: {((Errno)Marshal.GetLastPInvokeError()).Describe()}", (Errno)Marshal.GetLastPInvokeError());
        return new RouteNetlink(fd);
    }

    /// <summary>Every interface of the namespace, by ifindex, with its XDP attachment.</summary>
    public List<NetInterface> Interfaces()
    {
        var result = new List<NetInterface>();
        foreach (byte[] message in Transact(GetLink, Dump, new byte[16], "dump interfaces"))
        {
            int ifindex = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(16 + 4));
            string name = "";
            byte attached = 0;
            uint prog = 0, drv = 0, skb = 0, hw = 0;
            foreach (var (type, value) in Attributes(message.AsSpan(32)))
            {
                if (type == IflaIfname) name = CString(value);
                else if (type == IflaXdp)
                {
                    foreach (var (x, v) in Attributes(value))
                    {
                        switch (x)
                        {
                            case XdpAttached: attached = v[0]; break;
                            case XdpProgId: prog = U32(v); break;
                            case XdpDrvProgId: drv = U32(v); break;
                            case XdpSkbProgId: skb = U32(v); break;
                            case XdpHwProgId: hw = U32(v); break;
                        }
                    }
                }
            }
            result.Add(new NetInterface(ifindex, name, attached, prog, drv, skb, hw));
        }
        return result;
    }

    /// <summary>The cls_bpf filters under qdisc parent <paramref name="parent"/> of <paramref name="ifindex"/>.</summary>
    public List<TcBpfFilter> BpfFilters(int ifindex, uint parent)
    {
        var header = new byte[20];   // struct tcmsg { u8 family, pad1; u16 pad2; s32 ifindex; u32 handle, parent, info; }
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), ifindex);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), parent);
        var result = new List<TcBpfFilter>();
        List<byte[]> messages;
        try { messages = Transact(GetFilter, Dump, header, $"dump tc filters of ifindex {ifindex}"); }
        catch (BpfException e) when (e.Errno is Errno.EINVAL or Errno.ENOENT or Errno.EOPNOTSUPP) { return result; }   // no such qdisc/block
        foreach (byte[] message in messages)
        {
            string kind = "";
            string? name = null;
            uint? id = null;
            bool options = false;
            foreach (var (type, value) in Attributes(message.AsSpan(16 + 20)))
            {
                if (type == TcaKind) kind = CString(value);
                else if (type == TcaOptions)
                {
                    options = true;
                    foreach (var (o, v) in Attributes(value))
                    {
                        if (o == TcaBpfName) name = CString(v);
                        else if (o == TcaBpfId) id = U32(v);
                    }
                }
            }
            if (kind == "bpf" && options) result.Add(new TcBpfFilter(name, id));
        }
        return result;
    }

    /// <summary>RTM_SETLINK with IFLA_XDP: attaches <paramref name="programFd"/> (-1: detaches) with XDP_FLAGS_* <paramref name="flags"/>.</summary>
    public void SetXdp(int ifindex, int programFd, uint flags, string what)
    {
        var body = new List<byte>(new byte[16]);
        BinaryPrimitives.WriteInt32LittleEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(body)[4..], ifindex);
        byte[] nested = [.. Attribute(XdpFd, BitConverter.GetBytes(programFd)), .. Attribute(XdpFlags, BitConverter.GetBytes(flags))];
        body.AddRange(Attribute((ushort)(IflaXdp | 0x8000), nested));   // NLA_F_NESTED
        Transact(SetLink, Ack, [.. body], what);
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => Close(_fd);

    private List<byte[]> Transact(ushort type, ushort flags, byte[] body, string what)
    {
        uint sequence = ++_sequence;
        byte[] message = new byte[16 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), (ushort)(Request | flags));
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
        body.CopyTo(message, 16);
        fixed (byte* p = message)
            if (Send(_fd, p, message.Length, 0) < 0) throw Failure(what, (Errno)Marshal.GetLastPInvokeError());
        var answers = new List<byte[]>();
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            long n;
            fixed (byte* p = buffer) n = Recv(_fd, p, buffer.Length, 0);
            if (n < 0) throw Failure(what, (Errno)Marshal.GetLastPInvokeError());
            int offset = 0;
            while (offset + 16 <= n)
            {
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset));
                ushort kind = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(offset + 4));
                if (length < 16 || offset + length > n) break;
                if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset + 8)) == sequence)
                {
                    if (kind == Done) return answers;
                    if (kind == Error)
                    {
                        int errno = -BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(offset + 16));
                        if (errno != 0) throw Failure(what, (Errno)errno);
                        return answers;   // the ACK of a request without a dump
                    }
                    answers.Add(buffer.AsSpan(offset, length).ToArray());
                }
                offset += (length + 3) & ~3;
            }
            if ((flags & Dump) == 0 && answers.Count > 0) return answers;
        }
    }

    private static BpfException Failure(string what, Errno errno)
    {
        string hint = errno switch
        {
            Errno.EBUSY or Errno.EEXIST => "; a program is attached already (add 'overwrite' to replace it)",
            Errno.ENODEV => "; no such interface in this network namespace",
            Errno.EOPNOTSUPP => "; the driver lacks this XDP mode (try xdpgeneric)",
            Errno.EPERM => "; run as root (CAP_NET_ADMIN)",
            _ => "",
        };
        return new BpfException($"{what}: {errno.Describe()}{hint}", errno);
    }

    private static IEnumerable<(ushort Type, byte[] Value)> Attributes(ReadOnlySpan<byte> data)
    {
        var list = new List<(ushort, byte[])>();
        int offset = 0;
        while (offset + 4 <= data.Length)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]);
            ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(data[(offset + 2)..]) & 0x3FFF);
            if (length < 4 || offset + length > data.Length) break;
            list.Add((type, data.Slice(offset + 4, length - 4).ToArray()));
            offset += (length + 3) & ~3;
        }
        return list;
    }

    private static byte[] Attribute(ushort type, byte[] value)
    {
        byte[] a = new byte[(4 + value.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(a.AsSpan(2), type);
        value.CopyTo(a, 4);
        return a;
    }

    private static uint U32(byte[] v) => v.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(v) : 0;

    private static string CString(byte[] v)
    {
        int end = Array.IndexOf(v, (byte)0);
        return Encoding.UTF8.GetString(v, 0, end < 0 ? v.Length : end);
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial long Send(int fd, byte* buffer, long length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial long Recv(int fd, byte* buffer, long length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

/// <summary>An interface and its IFLA_XDP state (XDP_ATTACHED_* and the program ids per mode).</summary>
internal sealed record NetInterface(int Ifindex, string Name, byte XdpAttached, uint XdpProgramId, uint XdpDriverProgramId, uint XdpGenericProgramId, uint XdpOffloadProgramId);

/// <summary>A cls_bpf filter as TCA_OPTIONS reports it.</summary>
internal sealed record TcBpfFilter(string? Name, uint? Id);
