using System.Runtime.InteropServices;
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

    /// <summary>
    /// Attaches <paramref name="program"/> to the tcx hook (<see cref="AttachType.TcxIngress"/> or
    /// <see cref="AttachType.TcxEgress"/>, Linux 6.6+) of interface <paramref name="ifindex"/> without a link, as
    /// <c>bpftool net attach tcx_ingress</c> does: it stays attached, after this process too, until
    /// <see cref="DetachFromInterface"/>. For an attachment owned by an object, use <see cref="TcxLink"/>.
    /// </summary>
    /// <exception cref="KernelFeatureMissingException">The kernel has no tcx (before 6.6 it answers EINVAL).</exception>
    /// <exception cref="BpfException">EINVAL: not a sched_cls program; ENODEV: no such interface.</exception>
    public static void AttachToInterface(SafeBpfHandle program, int ifindex, AttachType attachType)
    {
        ArgumentNullException.ThrowIfNull(program);
        var attr = new ProgAttachAttr { TargetFd = (uint)ifindex, AttachType = (uint)attachType };
        using var p = program.Lease(out attr.AttachBpfFd);
        InterfaceResult(Bpf.Invoke(BpfCommand.ProgAttach, ref attr), "attach program to", ifindex, attachType);
    }

    /// <summary>
    /// Detaches <paramref name="program"/> (null: the last one attached without a link) from the tcx hook
    /// <paramref name="attachType"/> of interface <paramref name="ifindex"/>.
    /// </summary>
    /// <exception cref="KernelFeatureMissingException">The kernel has no tcx.</exception>
    /// <exception cref="BpfException">ENOENT: nothing (or not that program) is attached there.</exception>
    public static void DetachFromInterface(int ifindex, AttachType attachType, SafeBpfHandle? program = null)
    {
        var attr = new ProgAttachAttr { TargetFd = (uint)ifindex, AttachType = (uint)attachType };
        using var p = FdLease.Optional(program, out attr.AttachBpfFd);
        InterfaceResult(Bpf.Invoke(BpfCommand.ProgDetach, ref attr), "detach program from", ifindex, attachType);
    }

    private static void InterfaceResult(int result, string operation, int ifindex, AttachType attachType)
    {
        string subject = $"interface {ifindex} as {KernelEnumNames.Name(attachType)}";
        if (attachType is AttachType.TcxIngress or AttachType.TcxEgress) TcxLink.ThrowIfTcxMissing(result, $"{operation} {subject}");
        BpfErrors.Check(result, operation, subject);
    }

    /// <summary>
    /// Attaches <paramref name="program"/> to cgroup <paramref name="cgroupPath"/> as <paramref name="attachType"/>, as
    /// <c>bpftool cgroup attach</c> does: it stays attached, after this process too, until
    /// <see cref="DetachFromCgroup"/>. For an attachment that detaches when disposed, use <see cref="CgroupAttachment"/>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No such cgroup.</exception>
    /// <exception cref="BpfException">EPERM: the hook's mode forbids this; EEXIST: the program is attached there already.</exception>
    public static void AttachToCgroup(SafeBpfHandle program, string cgroupPath, AttachType attachType, CgroupAttachFlags flags = CgroupAttachFlags.None)
    {
        using var cgroup = PathFd.OpenDirectory(cgroupPath, "cgroup");
        Run(BpfCommand.ProgAttach, program, cgroup, attachType, (uint)flags, "attach program as");
    }

    /// <summary>Detaches <paramref name="program"/> from cgroup <paramref name="cgroupPath"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">No such cgroup.</exception>
    /// <exception cref="BpfException">ENOENT: it was not attached there.</exception>
    public static void DetachFromCgroup(SafeBpfHandle program, string cgroupPath, AttachType attachType)
    {
        using var cgroup = PathFd.OpenDirectory(cgroupPath, "cgroup");
        Run(BpfCommand.ProgDetach, program, cgroup, attachType, 0, "detach program as");
    }

    /// <summary>Attaches a flow dissector to the network namespace of the calling thread.</summary>
    public static void AttachFlowDissector(SafeBpfHandle program)
    {
        using var netns = File.OpenHandle("/proc/self/ns/net", FileMode.Open, FileAccess.Read);
        Run(BpfCommand.ProgAttach, program, netns, AttachType.FlowDissector, 0, "attach program as");
    }

    /// <summary>Detaches a flow dissector from the network namespace of the calling thread.</summary>
    public static void DetachFlowDissector(SafeBpfHandle program)
    {
        using var netns = File.OpenHandle("/proc/self/ns/net", FileMode.Open, FileAccess.Read);
        Run(BpfCommand.ProgDetach, program, netns, AttachType.FlowDissector, 0, "detach program as");
    }

    // The target is any fd: a BPF map, a cgroup directory, a network namespace file.
    private static void Run(BpfCommand command, SafeBpfHandle program, SafeHandle target, AttachType attachType, uint flags, string operation)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(target);
        var attr = new ProgAttachAttr { AttachType = (uint)attachType, AttachFlags = flags };
        using var p = program.Lease(out attr.AttachBpfFd);
        using var t = new FdLease(target, out attr.TargetFd);
        BpfErrors.Check(Bpf.Invoke(command, ref attr), operation, KernelEnumNames.Name(attachType));
    }
}
