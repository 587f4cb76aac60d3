using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    internal static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Receive(int fd, byte* buffer, nuint length, int flags);

    internal const int AfNetlink = 16, SockRaw = 3, SockCloexec = 0x80000, NetlinkRoute = 0;   // AF_NETLINK, SOCK_RAW, NETLINK_ROUTE
}
