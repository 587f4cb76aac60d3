using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport(Library, EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int EpollCreate1(int flags);

    [LibraryImport(Library, EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Library, EntryPoint = "epoll_wait", SetLastError = true)]
    internal static partial int EpollWait(int epfd, byte* events, int maxEvents, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initial, int flags);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nuint count);

    internal const int EpollCloexec = 0x80000, EpollCtlAdd = 1, EpollIn = 0x001;   // EPOLL_CLOEXEC, EPOLL_CTL_ADD, EPOLLIN
    internal const int EventFdCloexec = 0x80000, EventFdNonblock = 0x800;          // EFD_CLOEXEC, EFD_NONBLOCK
    internal const int OpenNonblock = 0x800;                                       // O_NONBLOCK

    /// <summary>
    /// Size of struct epoll_event: x86-64 packs it (u32 events, u64 data at offset 4, 12 bytes) for 32-bit
    /// compatibility; every other ABI aligns the u64 (data at offset 8, 16 bytes).
    /// </summary>
    internal static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Offset of the u64 data field in struct epoll_event.</summary>
    internal static int EpollDataOffset => EpollEventSize - 8;

    /// <summary>Registers <paramref name="fd"/> for EPOLLIN (level-triggered) with <paramref name="token"/> as its data.</summary>
    internal static int EpollAdd(int epfd, int fd, ulong token)
    {
        byte* ev = stackalloc byte[16];
        *(uint*)ev = EpollIn;
        *(ulong*)(ev + EpollDataOffset) = token;   // unaligned on x86-64, which does not care
        return EpollCtl(epfd, EpollCtlAdd, fd, ev);
    }
}
