namespace Ebpf.Linux.Interop;

/// <summary>Commands of bpf(2) (<c>enum bpf_cmd</c>).</summary>
internal enum BpfCommand
{
    MapCreate = 0,
    MapLookupElem = 1,
    MapUpdateElem = 2,
    MapDeleteElem = 3,
    MapGetNextKey = 4,
    ProgLoad = 5,
    ObjPin = 6,
    ObjGet = 7,
    ProgAttach = 8,
    ProgDetach = 9,
    ProgTestRun = 10,
    ProgGetNextId = 11,
    MapGetNextId = 12,
    ProgGetFdById = 13,
    MapGetFdById = 14,
    ObjGetInfoByFd = 15,
    ProgQuery = 16,
    RawTracepointOpen = 17,
    BtfLoad = 18,
    BtfGetFdById = 19,
    TaskFdQuery = 20,
    MapLookupAndDeleteElem = 21,
    MapFreeze = 22,
    BtfGetNextId = 23,
    MapLookupBatch = 24,
    MapLookupAndDeleteBatch = 25,
    MapUpdateBatch = 26,
    MapDeleteBatch = 27,
    LinkCreate = 28,
    LinkUpdate = 29,
    LinkGetFdById = 30,
    LinkGetNextId = 31,
    EnableStats = 32,
    IterCreate = 33,
    LinkDetach = 34,
    ProgBindMap = 35,
    TokenCreate = 36,
}

/// <summary>The only caller of SYS_bpf.</summary>
internal static unsafe partial class Bpf
{
    /// <summary>
    /// Runs <paramref name="command"/> with <paramref name="attr"/> and returns the result (an fd, a value, 0) or -errno.
    /// EINTR is retried for every command; EAGAIN only for BPF_PROG_LOAD, where it means a signal (the runtime's GC
    /// suspension uses them) interrupted the verifier. Elsewhere EAGAIN is an answer (an empty queue, a busy map).
    /// </summary>
    internal static int Invoke<TAttr>(BpfCommand command, ref TAttr attr) where TAttr : unmanaged
    {
        fixed (TAttr* p = &attr)
        {
            while (true)
            {
                long r = Libc.Syscall(SysCallNumbers.Bpf, (long)command, (long)p, sizeof(TAttr));
                if (r >= 0) return (int)r;
                Errno e = Libc.LastErrno;
                if (e == Errno.EINTR || (e == Errno.EAGAIN && command == BpfCommand.ProgLoad)) continue;
                return -(int)e;
            }
        }
    }

    /// <summary>A pointer as the UAPI's <c>__aligned_u64</c>.</summary>
    internal static ulong Ptr(void* p) => (ulong)p;
}
