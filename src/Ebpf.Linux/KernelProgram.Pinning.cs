namespace Ebpf.Linux;

public sealed partial class KernelProgram
{
    /// <summary>Pins the program at <paramref name="path"/> in a BPF file system: it stays loaded until unpinned.</summary>
    /// <exception cref="BpfException">EEXIST: the path is taken; ENOENT: the directory is missing; EPERM: not on bpffs.</exception>
    public void Pin(string path) => BpfFs.Pin(Handle, path, $"program {Describe()}");

    /// <summary>Opens the program pinned at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">Nothing is pinned there.</exception>
    /// <exception cref="BpfException">The pinned object is not a program, or another failure.</exception>
    public static KernelProgram OpenPinned(string path) => Adopt(BpfFs.Open(path, PinAccess.ReadWrite));

    /// <summary>FromHandle for a handle we opened: closed again when it is not a program.</summary>
    private static KernelProgram Adopt(SafeBpfHandle handle)
    {
        try { return FromHandle(handle); }
        catch { handle.Dispose(); throw; }
    }
}
