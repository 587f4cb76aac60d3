using Ebpf.Linux;

namespace Ebpf.Cli.Kernel;

/// <summary>Every loaded program and map, opened one by one (objects that vanish meanwhile are skipped).</summary>
internal static class KernelEnumeration
{
    /// <summary>Every program with its info; the caller disposes the handles.</summary>
    public static List<(SafeBpfHandle Handle, ProgramInfo Info)> Programs() => All(KernelObjects.ProgramIds(), KernelObjects.OpenProgramById, ProgramInfo.Get);

    /// <summary>Every map with its info; the caller disposes the handles.</summary>
    public static List<(SafeBpfHandle Handle, MapInfo Info)> Maps() => All(KernelObjects.MapIds(), KernelObjects.OpenMapById, MapInfo.Get);

    private static List<(SafeBpfHandle, T)> All<T>(IEnumerable<uint> ids, Func<uint, SafeBpfHandle> open, Func<SafeBpfHandle, T> info)
    {
        var all = new List<(SafeBpfHandle, T)>();
        foreach (uint id in ids)
        {
            SafeBpfHandle handle;
            try { handle = open(id); }
            catch (BpfException e) when (e.Errno == Errno.ENOENT) { continue; }
            all.Add((handle, info(handle)));
        }
        return all;
    }
}
