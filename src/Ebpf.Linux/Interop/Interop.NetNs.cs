using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

internal static partial class Libc
{
    [LibraryImport(Library, EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(int fd, int nsType);

    [LibraryImport(Library, EntryPoint = "if_nametoindex", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial uint IfNameToIndex(string name);

    internal const int CloneNewNet = 0x40000000;            // CLONE_NEWNET
}
