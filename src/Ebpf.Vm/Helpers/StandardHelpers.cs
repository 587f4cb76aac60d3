using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ebpf.Vm.Helpers;

/// <summary>
/// The helpers that need no map or packet, with the kernel's ids: clocks, random numbers, the CPU, the "current
/// task" (the host process here), and <c>bpf_trace_printk</c> into a host sink.
/// </summary>
public static class StandardHelpers
{
    /// <summary>bpf_trace_printk.</summary>
    public const int TracePrintk = 6;
    /// <summary>bpf_get_prandom_u32.</summary>
    public const int GetPrandomU32 = 7;
    /// <summary>bpf_get_smp_processor_id.</summary>
    public const int GetSmpProcessorId = 8;
    /// <summary>bpf_get_current_pid_tgid.</summary>
    public const int GetCurrentPidTgid = 14;
    /// <summary>bpf_get_current_uid_gid.</summary>
    public const int GetCurrentUidGid = 15;
    /// <summary>bpf_get_current_comm.</summary>
    public const int GetCurrentComm = 16;
    /// <summary>bpf_ktime_get_boot_ns.</summary>
    public const int KtimeGetBootNs = 125;
    /// <summary>bpf_ktime_get_coarse_ns.</summary>
    public const int KtimeGetCoarseNs = 160;
    /// <summary>bpf_loop.</summary>
    public const int Loop = 181;

    // The host process's name, read once (/proc/self/comm does not change under a running program).
    private static readonly Lazy<string> s_comm = new(() => Process.GetCurrentProcess().ProcessName);

    // BPF_MAX_LOOPS: bpf_loop refuses more iterations with -E2BIG.
    private const ulong MaxLoops = 1 << 23;

    /// <summary>
    /// Adds the standard helpers to <paramref name="table"/>; <c>bpf_trace_printk</c> lines go to
    /// <paramref name="traceSink"/> (none: they are formatted and dropped, and the helper still answers their length).
    /// </summary>
    public static HelperTable Register(HelperTable table, Action<string>? traceSink = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Register(HelperTable.KtimeGetNs, static (_, _, _, _, _, _) => Monotonic());
        table.Register(KtimeGetBootNs, static (_, _, _, _, _, _) => Monotonic());
        table.Register(KtimeGetCoarseNs, static (_, _, _, _, _, _) => Monotonic());
        table.Register(GetPrandomU32, static (_, _, _, _, _, _) => (ulong)Random.Shared.NextInt64(1L << 32));
        table.Register(GetSmpProcessorId, static (c, _, _, _, _, _) => (ulong)c.Cpu);
        table.Register(GetCurrentPidTgid, static (_, _, _, _, _, _) => ((ulong)(uint)Environment.ProcessId << 32) | (uint)Environment.CurrentManagedThreadId);
        table.Register(GetCurrentUidGid, static (_, _, _, _, _, _) => 0);
        table.Register(GetCurrentComm, static (c, r1, r2, _, _, _) => Comm(c, r1, r2));
        table.Register(TracePrintk, (c, r1, r2, r3, r4, r5) => Printk(c, r1, r2, [r3, r4, r5], traceSink));
        table.Register(Loop, static (c, r1, r2, r3, r4, _) => BpfLoop(c, r1, r2, r3, r4));
        return table;
    }

    // bpf_loop(nr_loops, callback, ctx, flags): callback(i, ctx) for i in 0..nr_loops until it answers 1; the number of
    // iterations run (the stopping one included) is the result.
    private static ulong BpfLoop(HelperContext c, ulong count, ulong callback, ulong context, ulong flags)
    {
        if (flags != 0) return unchecked((ulong)-22L);
        if (count > MaxLoops) return unchecked((ulong)-7L);
        for (ulong i = 0; i < count; i++)
            if (c.CallFunction(callback, i, context) == 1) return i + 1;
        return count;
    }

    // The task's comm, NUL-terminated and cut to the buffer, as the kernel copies it (TASK_COMM_LEN 16).
    private static ulong Comm(HelperContext c, ulong buffer, ulong size)
    {
        if (size == 0 || size > 4096) return unchecked((ulong)-22L);
        Span<byte> into = c.GetSpan(buffer, (int)size, VmMemoryAccess.Write);
        string name = s_comm.Value;
        into.Clear();
        int n = Math.Min(Math.Min(name.Length, 15), into.Length - 1);
        Encoding.ASCII.GetBytes(name.AsSpan(0, n), into);
        return 0;
    }

    // bpf_trace_printk's format: %d %i %u %x %ld %lu %lx %lld %llu %llx %c %s %p %%, at most three arguments.
    private static ulong Printk(HelperContext c, ulong format, ulong size, ulong[] args, Action<string>? sink)
    {
        if (size == 0 || size > 1024) return unchecked((ulong)-22L);
        ReadOnlySpan<byte> f = c.GetSpan(format, (int)size, VmMemoryAccess.Read);
        int end = f.IndexOf((byte)0);
        if (end < 0) return unchecked((ulong)-22L);   // the kernel wants the NUL inside fmt_size
        var s = new StringBuilder();
        int arg = 0;
        for (int i = 0; i < end; i++)
        {
            char ch = (char)f[i];
            if (ch != '%') { s.Append(ch); continue; }
            if (++i >= end) return unchecked((ulong)-22L);
            if (f[i] == '%') { s.Append('%'); continue; }
            int longs = 0;
            while (i < end && f[i] == 'l') { longs++; i++; }
            if (i >= end || arg >= args.Length) return unchecked((ulong)-22L);
            ulong v = args[arg++];
            switch ((char)f[i])
            {
                case 'd' or 'i': s.Append(CultureInfo.InvariantCulture, $"{(longs == 0 ? (int)v : (long)v)}"); break;
                case 'u': s.Append(CultureInfo.InvariantCulture, $"{(longs == 0 ? (uint)v : v)}"); break;
                case 'x': s.Append(CultureInfo.InvariantCulture, $"{(longs == 0 ? (uint)v : v):x}"); break;
                case 'X': s.Append(CultureInfo.InvariantCulture, $"{(longs == 0 ? (uint)v : v):X}"); break;
                case 'c': s.Append((char)(byte)v); break;
                case 'p': s.Append(CultureInfo.InvariantCulture, $"0x{v:x}"); break;
                case 's':
                    // At most 64 bytes of the string, as the kernel's bounded copy; stops at the region's end.
                    for (int k = 0; k < 64 && c.TryGetSpan(v + (ulong)k, 1, VmMemoryAccess.Read, out Span<byte> b) && b[0] != 0; k++) s.Append((char)b[0]);
                    break;
                default: return unchecked((ulong)-22L);
            }
        }
        string line = s.ToString();
        sink?.Invoke(line);
        return (ulong)Encoding.UTF8.GetByteCount(line);
    }

    private static ulong Monotonic() => HelperTable.MonotonicNanoseconds();
}
