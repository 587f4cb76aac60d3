using System.CommandLine;
using Ebpf.Cli.Output;

namespace Ebpf.Cli.Commands.Prog;

/// <summary><c>ebpf prog profile PROG [duration D] METRICs</c>.</summary>
internal static class ProgProfileCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => WordsCommand.Create("profile", "PROG [duration DURATION] METRICs   METRIC := cycles | instructions | l1d_loads | llc_misses | itlb_misses | dtlb_misses", """
        Count hardware events (cycles, instructions, cache misses) per run of a program. bpftool does this with
        fentry/fexit programs wrapped around PROG reading perf counters; this build does not implement it yet,
        and kernels that refuse fentry/fexit (lockdown, no BTF trampolines) cannot do it at all.

        Examples:
          ebpf prog profile id 42 duration 5 cycles instructions
        """, (_, _) => throw new CliError(
            "prog profile: not supported: it needs fentry/fexit programs (BPF_PROG_TYPE_TRACING) around PROG reading perf counters, which this build does not implement; use 'ebpf prog show' (run_time_ns, run_cnt) with kernel.bpf_stats_enabled=1 for run time"));
}
