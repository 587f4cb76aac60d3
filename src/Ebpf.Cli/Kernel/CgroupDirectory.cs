using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Kernel;

/// <summary>
/// An O_RDONLY|O_DIRECTORY fd of a cgroup directory, the target BPF_PROG_ATTACH takes for cgroups (a stopgap with
/// <see cref="BpfCalls"/>: Ebpf.Linux opens its own inside CgroupAttachment, which detaches on dispose).
/// </summary>
internal sealed partial class CgroupDirectory : IDisposable
{
    private CgroupDirectory(int fd) => Fd = fd;

    /// <summary>The fd.</summary>
    public int Fd { get; }

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
    public void Dispose() => CloseFd(Fd);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int OpenDirectory(string path, int flags);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFd(int fd);
}
