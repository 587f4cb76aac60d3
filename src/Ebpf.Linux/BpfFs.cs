using System.Text;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>
/// Pins in a BPF file system (bpffs, usually mounted at <c>/sys/fs/bpf</c>): a pinned program, map or link outlives the
/// process that created it; any process may open it again by path. Unpinning is removing the file.
/// </summary>
public static class BpfFs
{
    /// <summary>Where bpffs is mounted on most systems.</summary>
    public const string DefaultRoot = "/sys/fs/bpf";

    /// <summary>Pins the object behind <paramref name="handle"/> (a program, map or link fd) at <paramref name="path"/>.</summary>
    /// <exception cref="BpfException">EEXIST: the path is taken; ENOENT: the directory is missing; EPERM: not on bpffs.</exception>
    public static void Pin(SafeBpfHandle handle, string path) => Pin(handle, path, $"object {handle}");

    internal static unsafe void Pin(SafeBpfHandle handle, string path, string subject)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            var attr = new ObjPinAttr { Pathname = Bpf.Ptr(p) };
            int r;
            using (handle.Lease(out attr.BpfFd))
                r = Bpf.Invoke(BpfCommand.ObjPin, ref attr);
            if (r == -(int)Errno.EPERM && !File.Exists(path))
                throw new BpfException($"pin {subject} at {path}: {Errno.EPERM.Describe()}; is {Path.GetDirectoryName(path)} on a BPF file system (mount -t bpf bpf {DefaultRoot})?", Errno.EPERM);
            BpfErrors.Check(r, $"pin {subject} at", path);
        }
    }

    /// <summary>Opens the object pinned at <paramref name="path"/>, whatever its kind.</summary>
    /// <exception cref="FileNotFoundException">Nothing is pinned there.</exception>
    /// <exception cref="BpfException">The path is not on bpffs, or another failure.</exception>
    public static unsafe SafeBpfHandle Open(string path, PinAccess access = PinAccess.ReadWrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            var attr = new ObjPinAttr { Pathname = Bpf.Ptr(p), FileFlags = (uint)access };
            int r = Bpf.Invoke(BpfCommand.ObjGet, ref attr);
            if (r == -(int)Errno.ENOENT) throw new FileNotFoundException($"open pinned object {path}: {Errno.ENOENT.Describe()}", path);
            return BpfErrors.CheckFd(r, "open pinned object", path);
        }
    }

    /// <summary>Removes the pin at <paramref name="path"/>; the object goes away once nothing else holds it.</summary>
    /// <returns>False when nothing was pinned there.</returns>
    public static bool Unpin(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Libc.Unlink(path) == 0) return true;
        Errno e = Libc.LastErrno;
        return e == Errno.ENOENT ? false : throw BpfErrors.Create(e, "unpin", path);
    }
}
