using System.Runtime.InteropServices;

namespace Ebpf.Linux.Interop;

/// <summary>perf_event_open(2) and the parts of struct perf_event_attr that attaching BPF programs needs.</summary>
internal static unsafe partial class PerfEvent
{
    /// <summary>perf_event_open(2) (it differs between ABIs).</summary>
    internal static readonly long SyscallNumber = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 298,
        Architecture.X86 => 336,
        Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 241,
        Architecture.Arm => 364,
        Architecture.S390x => 331,
        Architecture.Ppc64le => 319,
        var other => throw new PlatformNotSupportedException($"perf_event_open(2) syscall number unknown for {other}"),
    };

    internal const uint TypeTracepoint = 2;                 // PERF_TYPE_TRACEPOINT
    internal const ulong FlagCloexec = 8;                   // PERF_FLAG_FD_CLOEXEC
    internal const ulong IocEnable = 0x2400;                // PERF_EVENT_IOC_ENABLE
    internal const ulong IocSetBpf = 0x40042408;            // PERF_EVENT_IOC_SET_BPF
    internal const ulong RetprobeConfigBit0 = 1;            // the kprobe PMU's "retprobe" format is config:0
    internal const uint TypeSoftware = 1;                   // PERF_TYPE_SOFTWARE
    internal const ulong CountSwBpfOutput = 10;             // PERF_COUNT_SW_BPF_OUTPUT
    internal const ulong SampleRaw = 1 << 10;               // PERF_SAMPLE_RAW
    internal const ulong FlagWatermark = 1 << 14;           // perf_event_attr.watermark: wake by bytes, not events
    internal const ulong IocDisable = 0x2401;               // PERF_EVENT_IOC_DISABLE
    internal const uint RecordLost = 2, RecordSample = 9;   // PERF_RECORD_LOST, PERF_RECORD_SAMPLE

    // struct perf_event_mmap_page: the ring's control page (data_head is written by the kernel, data_tail by us).
    internal const int MmapDataHead = 1024, MmapDataTail = 1032, MmapDataOffset = 1040, MmapDataSize = 1048;

    /// <summary>struct perf_event_attr (PERF_ATTR_SIZE_VER8 = 136; the kernel accepts our size while the tail is zero).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 136)]
    internal struct Attr
    {
        [FieldOffset(0)] public uint Type;
        [FieldOffset(4)] public uint Size;
        [FieldOffset(8)] public ulong Config;
        [FieldOffset(16)] public ulong SamplePeriod;
        [FieldOffset(24)] public ulong SampleType;
        [FieldOffset(32)] public ulong ReadFormat;
        [FieldOffset(40)] public ulong Flags;                // disabled, inherit, ... bitfield
        [FieldOffset(48)] public uint WakeupEvents;
        [FieldOffset(52)] public uint BpType;
        [FieldOffset(56)] public ulong Config1;              // kprobe_func / uprobe_path
        [FieldOffset(64)] public ulong Config2;              // probe_offset / kprobe_addr
    }

    /// <summary>Opens a perf event; returns the fd or -errno.</summary>
    internal static int Open(ref Attr attr, int pid, int cpu)
    {
        attr.Size = (uint)sizeof(Attr);
        fixed (Attr* p = &attr)
        {
            while (true)
            {
                long r = Libc.Syscall(SyscallNumber, (long)p, pid, cpu, -1, (long)FlagCloexec);
                if (r >= 0) return (int)r;
                Errno e = Libc.LastErrno;
                if (e != Errno.EINTR) return -(int)e;
            }
        }
    }

    [LibraryImport(Libc.Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, ulong request, nint argument);
}
