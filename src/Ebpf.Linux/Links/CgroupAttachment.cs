using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Links;

/// <summary>
/// A program on a cgroup v2 hook attached the pre-link way (BPF_PROG_ATTACH, Linux 4.10+), with the sharing rules of
/// <see cref="CgroupAttachFlags"/>. The attachment belongs to the cgroup, not to an fd: it stays after this process
/// exits unless disposed (BPF_PROG_DETACH). This object keeps its own fds of the cgroup and the program for that.
/// </summary>
public sealed class CgroupAttachment : ICgroupAttachment
{
    private readonly SafeFdHandle _cgroup;
    private SafeBpfHandle _program;
    private bool _disposed;

    private CgroupAttachment(SafeFdHandle cgroup, SafeBpfHandle program, string cgroupPath, AttachType attachType, CgroupAttachFlags flags) =>
        (_cgroup, _program, CgroupPath, AttachType, Flags) = (cgroup, program, cgroupPath, attachType, flags);

    /// <inheritdoc/>
    public string CgroupPath { get; }

    /// <inheritdoc/>
    public AttachType AttachType { get; }

    /// <summary>The sharing flags the program was attached with.</summary>
    public CgroupAttachFlags Flags { get; }

    /// <summary>Attaches <paramref name="program"/> to <paramref name="attachType"/> of cgroup <paramref name="cgroupPath"/>.</summary>
    /// <param name="program">A program of the hook's type.</param>
    /// <param name="cgroupPath">A cgroup v2 directory.</param>
    /// <param name="attachType">The hook.</param>
    /// <param name="flags">None (exclusive), AllowOverride or AllowMulti; a hook keeps the mode of its first program.</param>
    /// <param name="replace">With AllowMulti: the attached program to swap for <paramref name="program"/> in place (BPF_F_REPLACE, Linux 5.6+).</param>
    /// <exception cref="DirectoryNotFoundException">No such cgroup.</exception>
    /// <exception cref="BpfException">EPERM: the hook's mode forbids this (an exclusive program is there, or the flags differ);
    /// EEXIST: the program is attached there already; ENOENT: <paramref name="replace"/> is not attached.</exception>
    public static CgroupAttachment Attach(KernelProgram program, string cgroupPath, AttachType attachType,
        CgroupAttachFlags flags = CgroupAttachFlags.AllowMulti, KernelProgram? replace = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!CgroupHooks.Contains(attachType)) throw new ArgumentException($"{attachType} is not a cgroup hook", nameof(attachType));
        if ((flags & CgroupAttachFlags.Replace) != 0) throw new ArgumentException("pass the program to replace as 'replace'", nameof(flags));
        if (replace is not null && (flags & CgroupAttachFlags.AllowMulti) == 0)
            throw new ArgumentException("replacing a named program needs CgroupAttachFlags.AllowMulti", nameof(replace));
        var cgroup = PathFd.OpenDirectory(cgroupPath, "cgroup");
        try
        {
            AttachRaw(cgroup, program, attachType, (uint)flags, replace, $"{program} to {cgroupPath} ({attachType}, {flags})");
            return new CgroupAttachment(cgroup, Duplicate(program), cgroupPath, attachType, flags);
        }
        catch
        {
            cgroup.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Replaces the program: with AllowMulti in place (BPF_F_REPLACE with the current program), otherwise by attaching
    /// over the single program of the hook. Either way the kernel swaps the program in one step.
    /// </summary>
    public void Update(KernelProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool multi = (Flags & CgroupAttachFlags.AllowMulti) != 0;
        var attr = new ProgAttachAttr { AttachType = (uint)AttachType, AttachFlags = (uint)Flags | (multi ? BpfAttachFlags.Replace : 0) };
        using (var target = new FdLease(_cgroup, out attr.TargetFd))
        using (var prog = program.Handle.Lease(out attr.AttachBpfFd))
        using (var old = FdLease.Optional(multi ? _program : null, out attr.ReplaceBpfFd))
            BpfErrors.Check(Bpf.Invoke(BpfCommand.ProgAttach, ref attr), $"update {this} to", program.ToString());
        SafeBpfHandle previous = _program;
        _program = Duplicate(program);
        previous.Dispose();
    }

    /// <summary>Detaches the program (BPF_PROG_DETACH) and closes this object's fds.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            var attr = new ProgAttachAttr { AttachType = (uint)AttachType };
            using (var target = new FdLease(_cgroup, out attr.TargetFd))
            using (var prog = _program.Lease(out attr.AttachBpfFd))
            {
                int r = Bpf.Invoke(BpfCommand.ProgDetach, ref attr);
                if (r != -(int)Errno.ENOENT) BpfErrors.Check(r, "detach", ToString());   // ENOENT: someone detached it already
            }
        }
        finally
        {
            _program.Dispose();
            _cgroup.Dispose();
        }
    }

    /// <summary>For messages.</summary>
    public override string ToString() => $"cgroup {AttachType} attachment on {CgroupPath}";

    internal static void AttachRaw(System.Runtime.InteropServices.SafeHandle target, KernelProgram program, AttachType attachType, uint flags,
        KernelProgram? replace, string subject)
    {
        var attr = new ProgAttachAttr { AttachType = (uint)attachType, AttachFlags = flags | (replace is null ? 0 : BpfAttachFlags.Replace) };
        using var t = new FdLease(target, out attr.TargetFd);
        using var prog = program.Handle.Lease(out attr.AttachBpfFd);
        using var old = FdLease.Optional(replace?.Handle, out attr.ReplaceBpfFd);
        BpfErrors.Check(Bpf.Invoke(BpfCommand.ProgAttach, ref attr), "attach", subject);
    }

    // Detaching needs the program's fd: keep a duplicate so the caller may dispose theirs first.
    private static SafeBpfHandle Duplicate(KernelProgram program)
    {
        using var lease = program.Handle.Lease(out uint fd);
        return SafeBpfHandle.FromKernel(Libc.Duplicate((int)fd));
    }
}
