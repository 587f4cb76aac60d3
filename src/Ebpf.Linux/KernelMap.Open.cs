namespace Ebpf.Linux;

public sealed partial class KernelMap
{
    /// <summary>Opens the map with <paramref name="id"/>.</summary>
    /// <exception cref="BpfException">ENOENT: no such map.</exception>
    public static KernelMap OpenById(uint id) => Adopt(KernelObjects.OpenMapById(id));

    /// <summary>Reads the map's info from the kernel.</summary>
    public MapInfo Info() => MapInfo.Get(Handle, Describe());

    /// <summary>Pins the map at <paramref name="path"/> in a BPF file system: it outlives this process until unpinned.</summary>
    /// <exception cref="BpfException">EEXIST: the path is taken; ENOENT: the directory is missing; EPERM: not on bpffs.</exception>
    public void Pin(string path) => BpfFs.Pin(Handle, path, $"map {Describe()}");

    /// <summary>Opens the map pinned at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">Nothing is pinned there.</exception>
    /// <exception cref="BpfException">The pinned object is not a map, or another failure.</exception>
    public static KernelMap OpenPinned(string path, PinAccess access = PinAccess.ReadWrite) => Adopt(BpfFs.Open(path, access));

    /// <summary>FromHandle for a handle we opened: closed again when it is not a map.</summary>
    private static KernelMap Adopt(SafeBpfHandle handle)
    {
        try { return FromHandle(handle); }
        catch { handle.Dispose(); throw; }
    }
}
