using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Kernel;

/// <summary>
/// An O_RDONLY|O_DIRECTORY fd of a cgroup directory, the target BPF_PROG_ATTACH takes for cgroups, as the handle
/// <see cref="Ebpf.Linux.Links.ProgramAttachment"/> leases (Ebpf.Linux's CgroupAttachment opens its own and detaches on
/// dispose; bpftool's attachments outlive the command).
/// </summary>
internal sealed partial class CgroupDirectory : IDisposable
{
    private CgroupDirectory(int fd)
    {
        try
        {
            Handle = SafeBpfHandle.FromDuplicate(fd);   // Ebpf.Linux hands out owned handles of its own fds only
        }
        finally
        {
            CloseFd(fd);
        }
    }

    /// <summary>The directory's fd (closed by <see cref="Dispose"/>).</summary>
    public SafeBpfHandle Handle { get; }

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="CliError">It cannot be opened.</exception>
    public static CgroupDirectory Open(string path)
    {
        int fd = OpenDirectory(path, 0x10000 | 0x80000);   // O_RDONLY | O_DIRECTORY | O_CLOEXEC
        if (fd < 0)
        {
            var errno = (Errno)System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw new CliError($"can't open cgroup {path}: {errno.Describe()} (a directory under the cgroup v2 mount, e.g. /sys/fs/cgroup)");
        }
        return new CgroupDirectory(fd);
    }

    /// <summary>Closes the fd.</summary>
    public void Dispose() => Handle.Dispose();

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int OpenDirectory(string path, int flags);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFd(int fd);
}
