using System.Buffers.Binary;
using Ebpf.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Ebpf.Linux.Netlink;

/// <summary>
/// A NETLINK_ROUTE socket. A netlink socket talks to the network namespace it was created in for its whole life, so
/// an attachment made through it can be removed later from any thread.
/// </summary>
internal sealed class NetlinkSocket : IDisposable
{
    internal const ushort FlagRequest = 1, FlagAck = 4, FlagDump = 0x300;   // NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP
    private const ushort MessageError = 2, MessageDone = 3;                  // NLMSG_ERROR, NLMSG_DONE
    private readonly SafeFileHandle _fd;
    private uint _sequence;

    private NetlinkSocket(SafeFileHandle fd) => _fd = fd;

    /// <summary>Opens a socket in the calling thread's network namespace.</summary>
    internal static NetlinkSocket Open()
    {
        int fd = Libc.Socket(Libc.AfNetlink, Libc.SockRaw | Libc.SockCloexec, Libc.NetlinkRoute);
        return fd >= 0 ? new NetlinkSocket(new SafeFileHandle(fd, ownsHandle: true)) : throw BpfErrors.Create(Libc.LastErrno, "open", "netlink socket");
    }

    /// <summary>
    /// Sends <paramref name="message"/> (a whole nlmsghdr-led message; its length, sequence and flags are filled in)
    /// and returns the payloads of the answers; a negative errno in the kernel's ack is thrown with <paramref name="what"/>.
    /// </summary>
    internal unsafe List<byte[]> Request(NetlinkMessage message, string what)
    {
        uint sequence = ++_sequence;
        byte[] bytes = message.ToArray(sequence);
        bool add = false;
        _fd.DangerousAddRef(ref add);
        try
        {
            int fd = (int)_fd.DangerousGetHandle();
            fixed (byte* p = bytes)
                if (Libc.Send(fd, p, (nuint)bytes.Length, 0) < 0) throw BpfErrors.Create(Libc.LastErrno, what, "(netlink send)");
            var answers = new List<byte[]>();
            byte[] buffer = new byte[65536];
            while (true)
            {
                nint n;
                fixed (byte* p = buffer) n = Libc.Receive(fd, p, (nuint)buffer.Length, 0);
                if (n < 0) throw BpfErrors.Create(Libc.LastErrno, what, "(netlink receive)");
                for (int at = 0; at + 16 <= n;)
                {
                    int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at));
                    ushort type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(at + 4));
                    uint seq = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at + 8));
                    if (length < 16) throw new BpfException($"{what}: malformed netlink answer");
                    if (seq == sequence)
                    {
                        if (type == MessageDone) return answers;
                        if (type == MessageError)
                        {
                            int error = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at + 16));
                            return error == 0 ? answers : throw BpfErrors.Create((Errno)(-error), what, "");
                        }
                        answers.Add(buffer.AsSpan(at + 16, length - 16).ToArray());
                        if ((message.Flags & (FlagAck | FlagDump)) == 0) return answers;
                    }
                    at += (length + 3) & ~3;
                }
            }
        }
        finally
        {
            if (add) _fd.DangerousRelease();
        }
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _fd.Dispose();
}
