using System.Text;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A RawTracepoint (or RawTracepointWritable) program attached to a kernel tracepoint by name (<c>sched_switch</c>,
/// <c>sys_enter</c>) with BPF_RAW_TRACEPOINT_OPEN (Linux 4.17+; a link object, BPF_LINK_TYPE_RAW_TRACEPOINT, since 5.7).
/// The program sees the tracepoint's raw arguments. Disposing detaches it.
/// </summary>
public sealed class RawTracepointLink : Link
{
    private RawTracepointLink(SafeBpfHandle handle, string? name) : base(handle) => Name = name;

    /// <summary>The tracepoint's name, or null for a tp_btf/fentry/fexit/LSM program attached through this command.</summary>
    public string? Name { get; }

    /// <summary>Attaches <paramref name="program"/> to raw tracepoint <paramref name="name"/>.</summary>
    /// <param name="program">A RawTracepoint program, or RawTracepointWritable for tracepoints whose buffer is writable.</param>
    /// <param name="name">The tracepoint's name without category ("sched_switch").</param>
    /// <exception cref="ArgumentException">The program is of another type.</exception>
    /// <exception cref="BpfException">ENOENT: no such tracepoint; EINVAL: a writable program on a read-only tracepoint.</exception>
    public static RawTracepointLink Attach(KernelProgram program, string name)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (program.Type is not (ProgramType.RawTracepoint or ProgramType.RawTracepointWritable))
            throw new ArgumentException($"{program} is not a RawTracepoint program", nameof(program));
        int r = Open(program, name);
        if (r == -(int)Errno.ENOENT)
            throw new BpfException($"attach {program} to raw tracepoint {name}: ENOENT: the kernel has no tracepoint '{name}'", Errno.ENOENT);
        return new RawTracepointLink(BpfErrors.CheckFd(r, $"attach {program} to raw tracepoint", name), name);
    }

    /// <summary>BPF_RAW_TRACEPOINT_OPEN; a null name attaches a program loaded with an attach_btf_id (tp_btf, fentry, LSM...).</summary>
    internal static unsafe int Open(KernelProgram program, string? name)
    {
        byte[]? bytes = name is null ? null : Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes)
        {
            var attr = new RawTracepointOpenAttr { Name = p is null ? 0 : Bpf.Ptr(p) };
            using var lease = program.Handle.Lease(out attr.ProgFd);
            return Bpf.Invoke(BpfCommand.RawTracepointOpen, ref attr);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"raw tracepoint link {Name} ({Handle})";
}
