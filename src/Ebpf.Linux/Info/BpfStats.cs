using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>Kernel-wide statistics switches (BPF_ENABLE_STATS, Linux 5.8+).</summary>
public static class BpfStats
{
    /// <summary>
    /// Turns on run-time and run-count accounting of every program (<see cref="ProgramInfo.RunTime"/>,
    /// <see cref="ProgramInfo.RunCount"/>) until the returned handle is disposed. Accounting costs a little on each
    /// run, so it is off by default; the kernel keeps it on while any such handle is open (or the sysctl
    /// kernel.bpf_stats_enabled is 1).
    /// </summary>
    /// <exception cref="KernelFeatureMissingException">The kernel lacks BPF_ENABLE_STATS.</exception>
    public static SafeBpfHandle EnableRunTime()
    {
        var attr = new EnableStatsAttr { Type = 0 };   // BPF_STATS_RUN_TIME
        int r = Bpf.Invoke(BpfCommand.EnableStats, ref attr);
        if (r == -(int)Errno.EINVAL) throw new KernelFeatureMissingException("BPF_ENABLE_STATS", Errno.EINVAL.Describe(), "5.8");
        return BpfErrors.CheckFd(r, "enable", "run-time statistics");
    }
}
