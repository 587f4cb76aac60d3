using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A program that runs on a BPF trampoline, attached to the kernel function, BTF tracepoint or LSM hook it was loaded
/// for: fentry, fexit, fmod_ret (Tracing, Linux 5.5+), tp_btf (5.5+) and LSM (5.7+). The target is fixed at load time
/// (<see cref="ProgramLoadOptions.AttachTo"/>, set by <see cref="KernelCollection"/> from the section name);
/// attaching uses BPF_RAW_TRACEPOINT_OPEN without a name, which every kernel with these hooks accepts (a
/// BPF_LINK_TYPE_TRACING link, or RAW_TRACEPOINT for tp_btf). Disposing detaches it.
/// </summary>
/// <remarks>
/// Kernels that refuse trampolines (built without CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, BPF LSM not active, or
/// locked down) fail the load or the attach with EPERM/ENOTSUPP: both become a <see cref="KernelFeatureMissingException"/>
/// naming the hook. LSM programs attach only where securityfs lists "bpf" among the active LSMs (when it can be read):
/// elsewhere they would be attached but never run.
/// </remarks>
public sealed class TracingLink : Link
{
    private TracingLink(SafeBpfHandle handle, string hook) : base(handle) => Hook = hook;

    /// <summary>The hook kind: fentry, fexit, fmod_ret, tp_btf or lsm.</summary>
    public string Hook { get; }

    /// <summary>Attaches <paramref name="program"/> to the target it was loaded for.</summary>
    /// <param name="program">A Tracing (fentry/fexit/fmod_ret/tp_btf) or LSM program loaded with an attach_btf_id.</param>
    /// <exception cref="ArgumentException">The program is of another type, or an iterator (use <see cref="IteratorLink"/>).</exception>
    /// <exception cref="KernelFeatureMissingException">The kernel cannot attach this kind of program.</exception>
    public static TracingLink Attach(KernelProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Type is not (ProgramType.Tracing or ProgramType.Lsm))
            throw new ArgumentException($"{program} is not a Tracing or LSM program", nameof(program));
        if (program.ExpectedAttachType == AttachType.TraceIter)
            throw new ArgumentException($"{program} is an iterator: attach it with IteratorLink", nameof(program));
        string hook = TracingErrors.HookName(program.Type, program.ExpectedAttachType);
        if (program.Type == ProgramType.Lsm && program.ExpectedAttachType != AttachType.LsmCgroup && TracingErrors.IsBpfLsmActive() == false)
            throw new KernelFeatureMissingException("lsm (the BPF LSM is not active)",
                $"attach {program}: {TracingErrors.ActiveLsmList} does not list \"bpf\"; boot with lsm=...,bpf (CONFIG_BPF_LSM)");
        int r = RawTracepointLink.Open(program, null);
        if (r < 0 && TracingErrors.Explain(program.Type, program.ExpectedAttachType, (Errno)(-r), $"attach {program}") is { } missing)
            throw missing;
        return new TracingLink(BpfErrors.CheckFd(r, $"attach {hook}", program.ToString()), hook);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Hook} link ({Handle})";
}
