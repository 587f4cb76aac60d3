using System.Globalization;

namespace Ebpf.Linux;

/// <summary>
/// Turns the errors of loading or attaching trampoline-based programs (fentry, fexit, fmod_ret, tp_btf, LSM) into a
/// <see cref="KernelFeatureMissingException"/> naming the hook, when they mean "this kernel cannot do it" rather than
/// "you may not": EPERM for a caller that holds CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) comes from a kernel that
/// refuses the trampoline (lockdown, no BPF LSM, a restricted VM), ENOTSUPP/EOPNOTSUPP from one built without
/// ftrace direct calls (CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS) or without the BPF LSM.
/// </summary>
internal static class TracingErrors
{
    private const int CapSysAdmin = 21, CapPerfmon = 38, CapBpf = 39;

    /// <summary>The libbpf section name of a program kind ("fentry", "lsm"), for messages.</summary>
    internal static string HookName(ProgramType type, AttachType? attachType) => (type, attachType) switch
    {
        (ProgramType.Lsm, AttachType.LsmCgroup) => "lsm_cgroup",
        (ProgramType.Lsm, _) => "lsm",
        (_, AttachType.TraceFentry) => "fentry",
        (_, AttachType.TraceFexit) => "fexit",
        (_, AttachType.ModifyReturn) => "fmod_ret",
        (_, AttachType.TraceRawTp) => "tp_btf",
        (_, AttachType.TraceIter) => "iter",
        _ => type.ToString(),
    };

    /// <summary>Whether programs of this kind run on a BPF trampoline.</summary>
    internal static bool UsesTrampoline(ProgramType type, AttachType? attachType) =>
        type == ProgramType.Lsm || (type == ProgramType.Tracing && attachType is not AttachType.TraceIter);

    /// <summary>The exception for <paramref name="errno"/> from <paramref name="operation"/>, or null when the errno means something else.</summary>
    internal static KernelFeatureMissingException? Explain(ProgramType type, AttachType? attachType, Errno errno, string operation)
    {
        if (!UsesTrampoline(type, attachType)) return null;
        string hook = HookName(type, attachType);
        string? why = errno switch
        {
            Errno.ENOTSUPP or Errno.EOPNOTSUPP => type == ProgramType.Lsm
                ? "the BPF LSM is not active (CONFIG_BPF_LSM and \"bpf\" in the lsm= boot list) or the kernel has no BPF trampolines"
                : "the kernel has no BPF trampolines for this hook (CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, or the architecture lacks them)",
            Errno.EPERM when HasTracingCapabilities() =>
                "the kernel refuses BPF trampolines although the caller holds CAP_BPF and CAP_PERFMON (lockdown, or a kernel built without them)",
            _ => null,
        };
        return why is null ? null : new KernelFeatureMissingException($"{hook} (BPF trampolines)",
            $"{operation}: {errno.Describe()}: {why}");
    }

    internal const string ActiveLsmList = "/sys/kernel/security/lsm";

    /// <summary>
    /// Whether the BPF LSM runs hooks: true or false when securityfs lists the active LSMs ("bpf" among them only with
    /// CONFIG_BPF_LSM and "bpf" in lsm=), null when it cannot be read (securityfs not mounted). A kernel with the
    /// BPF LSM compiled in but not active loads and attaches LSM programs, which then never run.
    /// </summary>
    internal static bool? IsBpfLsmActive()
    {
        try
        {
            if (!File.Exists(ActiveLsmList)) return null;
            return File.ReadAllText(ActiveLsmList).Trim().Split(',').Contains("bpf", StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether the effective capability set holds CAP_SYS_ADMIN, or both CAP_BPF and CAP_PERFMON.</summary>
    internal static bool HasTracingCapabilities()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("CapEff:", StringComparison.Ordinal)) continue;
                ulong caps = ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                bool Has(int cap) => (caps & (1UL << cap)) != 0;
                return Has(CapSysAdmin) || (Has(CapBpf) && Has(CapPerfmon));
            }
        }
        catch (IOException) { }
        return false;
    }
}
