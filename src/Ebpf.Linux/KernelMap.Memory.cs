namespace Ebpf.Linux;

public sealed partial class KernelMap
{
    /// <summary>
    /// Maps the values of an array map created with <see cref="MapFlags.Mmapable"/> into this process (Linux 5.5+;
    /// global data sections are such maps). Frozen maps, and maps the caller only reads, map read-only.
    /// </summary>
    /// <param name="writable">Map read-write (fails with EPERM once the map is frozen).</param>
    /// <exception cref="InvalidOperationException">The map is not an mmapable array.</exception>
    public MappedMapMemory MapMemory(bool writable = true)
    {
        if (Type != MapType.Array || (Flags & MapFlags.Mmapable) == 0)
            throw new InvalidOperationException($"map {Describe()} is a {Type} without BPF_F_MMAPABLE: only mmapable arrays can be mapped");
        long bytes = (long)((ValueSize + 7) & ~7) * MaxEntries;
        long page = Environment.SystemPageSize;
        long length = (bytes + page - 1) / page * page;
        return MappedMapMemory.Map(Handle, length, writable, Describe());
    }
}
