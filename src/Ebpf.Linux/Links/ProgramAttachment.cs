using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// The pre-link attach API, BPF_PROG_ATTACH / BPF_PROG_DETACH (Linux 4.10+): a program attached to a target fd (a
/// sockmap or sockhash for sk_msg/sk_skb verdicts and parsers, a network namespace for the flow dissector, a
/// cgroup) stays attached until detached, whoever holds fds. This is what <c>bpftool prog attach</c> uses.
/// </summary>
public static class ProgramAttachment
{
    /// <summary>Attaches <paramref name="program"/> to <paramref name="target"/> as <paramref name="attachType"/>.</summary>
    /// <exception cref="BpfException">EINVAL: the program type does not fit the attach type or target; EEXIST: taken.</exception>
    public static void Attach(SafeBpfHandle program, SafeBpfHandle target, AttachType attachType, uint flags = 0) =>
        Run(BpfCommand.ProgAttach, program, target, attachType, flags, "attach program as");

    /// <summary>Detaches <paramref name="program"/> from <paramref name="target"/>.</summary>
    /// <exception cref="BpfException">ENOENT: it was not attached there.</exception>
    public static void Detach(SafeBpfHandle program, SafeBpfHandle target, AttachType attachType) =>
        Run(BpfCommand.ProgDetach, program, target, attachType, 0, "detach program as");

    /// <summary>Attaches a flow dissector to the network namespace of the calling thread.</summary>
    public static void AttachFlowDissector(SafeBpfHandle program) => WithCurrentNetns(netns => Attach(program, netns, AttachType.FlowDissector));

    /// <summary>Detaches a flow dissector from the network namespace of the calling thread.</summary>
    public static void DetachFlowDissector(SafeBpfHandle program) => WithCurrentNetns(netns => Detach(program, netns, AttachType.FlowDissector));

    private static void WithCurrentNetns(Action<SafeBpfHandle> action)
    {
        using var ns = File.OpenHandle("/proc/self/ns/net", FileMode.Open, FileAccess.Read);
        using SafeBpfHandle handle = SafeBpfHandle.FromKernel(Libc.Duplicate((int)ns.DangerousGetHandle()));
        action(handle);
    }

    private static void Run(BpfCommand command, SafeBpfHandle program, SafeBpfHandle target, AttachType attachType, uint flags, string operation)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(target);
        var attr = new ProgAttachAttr { AttachType = (uint)attachType, AttachFlags = flags };
        using var p = program.Lease(out attr.AttachBpfFd);
        using var t = target.Lease(out attr.TargetFd);
        BpfErrors.Check(Bpf.Invoke(command, ref attr), operation, KernelEnumNames.Name(attachType));
    }
}
