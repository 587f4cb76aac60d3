using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

internal static unsafe partial class Libc
{
    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);

    internal const int SolSocket = 1;                       // SOL_SOCKET
    internal const int SoAttachBpf = 50, SoDetachBpf = 27;  // SO_ATTACH_BPF; SO_DETACH_BPF is SO_DETACH_FILTER
}
