using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

internal static unsafe partial class Libc
{
    // syscall(2) is variadic; binding it with a fixed arity of long arguments is safe on the Linux ABIs .NET runs on
    // (x86-64, arm64, riscv64, loongarch64 pass variadic integer arguments in the same registers as fixed ones).
    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Syscall(long number, long arg1, long arg2, long arg3);

    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Syscall(long number, long arg1, long arg2, long arg3, long arg4, long arg5);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, RLimit* limit);

    [LibraryImport(Library, EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, RLimit* limit);

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    internal static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    internal static partial int Munmap(nint address, nuint length);

    [LibraryImport(Library, EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Unlink(string path);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    internal const int OpenReadOnly = 0, OpenDirectory = 0x10000, OpenCloexec = 0x80000;   // O_RDONLY, O_DIRECTORY, O_CLOEXEC

    internal const int ProtRead = 1, ProtWrite = 2, MapShared = 1;
    internal static readonly nint MapFailed = -1;

    private const int FDupFdCloexec = 1030;   // F_DUPFD_CLOEXEC
    private const int RLimitMemlock = 8;      // RLIMIT_MEMLOCK

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current, Maximum;
    }

    /// <summary>The last errno of a call made with SetLastError.</summary>
    internal static Errno LastErrno => (Errno)Marshal.GetLastPInvokeError();

    /// <summary>
    /// Moves fd 0 to the lowest free number above 0 and closes 0: the bpf() UAPI reads 0 as "no fd" in most
    /// attributes, so an object must never live at fd 0 (it does when a process started with stdin closed).
    /// </summary>
    internal static int MoveAboveZero(int fd)
    {
        int moved = Fcntl(fd, FDupFdCloexec, 1);
        Errno e = LastErrno;
        Close(fd);
        return moved >= 0 ? moved : throw BpfErrors.Create(e, "duplicate", "fd 0 above 0");
    }

    /// <summary>Duplicates <paramref name="fd"/> above 0, close-on-exec.</summary>
    internal static int Duplicate(int fd)
    {
        int copy = Fcntl(fd, FDupFdCloexec, 1);
        return copy >= 0 ? copy : throw BpfErrors.Create(LastErrno, "duplicate", $"fd {fd}");
    }

    private static int s_memlockAttempted;

    /// <summary>
    /// Raises RLIMIT_MEMLOCK to infinity once per process. Kernels before 5.11 charge BPF memory to it; newer ones
    /// charge the memory cgroup instead, so a refusal (no CAP_SYS_RESOURCE, a container's hard limit) is not an error.
    /// </summary>
    internal static void TryRaiseMemlockLimit()
    {
        if (Interlocked.Exchange(ref s_memlockAttempted, 1) != 0) return;
        RLimit limit;
        if (GetRLimit(RLimitMemlock, &limit) == 0 && limit.Current == ulong.MaxValue) return;
        limit = new RLimit { Current = ulong.MaxValue, Maximum = ulong.MaxValue };
        _ = SetRLimit(RLimitMemlock, &limit);
    }
}
