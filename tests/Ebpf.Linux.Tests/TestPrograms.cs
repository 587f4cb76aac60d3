using Ebpf.Asm;

namespace Ebpf.Linux.Tests;

/// <summary>Small programs built with Instruction factories.</summary>
internal static class TestPrograms
{
    /// <summary>r0 = <paramref name="value"/>; exit.</summary>
    internal static KernelProgram Return(ProgramType type, int value, string name = "t_ret") =>
        ProgramLoader.Load(new ProgramLoadOptions
        {
            Type = type, Name = name, Instructions = new[] { Instruction.Mov(Register.R0, value), Instruction.Exit() },
        });

    /// <summary>
    /// A raw tracepoint link (BPF_RAW_TRACEPOINT_OPEN): the one link kind a test can make without touching an
    /// interface or a cgroup. The program returns 0 and does nothing.
    /// </summary>
    internal static unsafe SafeBpfHandle RawTracepointLink(KernelProgram program, string tracepoint)
    {
        byte[] name = System.Text.Encoding.ASCII.GetBytes(tracepoint + "\0");
        fixed (byte* p = name)
        {
            var attr = new Ebpf.Linux.Interop.RawTracepointOpenAttr { Name = Ebpf.Linux.Interop.Bpf.Ptr(p) };
            using var lease = program.Handle.Lease(out attr.ProgFd);
            return BpfErrors.CheckFd(Ebpf.Linux.Interop.Bpf.Invoke(Ebpf.Linux.Interop.BpfCommand.RawTracepointOpen, ref attr), "open raw tracepoint", tracepoint);
        }
    }

    /// <summary>Where cgroup v2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid systems); skips without it.</summary>
    internal static string Cgroup2Root()
    {
        if (!Ebpf.Linux.Links.Cgroup.TryFindMount(out string? root)) Assert.Skip("no cgroup v2 mount");
        return root;
    }

    /// <summary>An open O_RDONLY | O_DIRECTORY fd of <paramref name="path"/> (a cgroup directory), closed on dispose.</summary>
    internal static SafeBpfHandle OpenDirectory(string path)
    {
        int fd = Ebpf.Linux.Interop.Libc.Open(path, Ebpf.Linux.Interop.Libc.OpenReadOnly | Ebpf.Linux.Interop.Libc.OpenDirectory | Ebpf.Linux.Interop.Libc.OpenCloexec);
        if (fd < 0) throw new IOException($"open {path}: {Ebpf.Linux.Interop.Libc.LastErrno.Describe()}");
        return SafeBpfHandle.FromKernel(fd);
    }
}
