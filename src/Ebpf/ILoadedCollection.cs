namespace Ebpf;

/// <summary>
/// A <see cref="CollectionSpec"/> loaded into a backend: the kernel (<c>Ebpf.Linux.KernelCollection</c>) or the
/// userspace VM. Code that takes this interface loads, runs and inspects an object without knowing where it lives.
/// </summary>
public interface ILoadedCollection : IDisposable
{
    /// <summary>The spec the collection was loaded from, as the caller gave it.</summary>
    CollectionSpec Spec { get; }

    /// <summary>The names of the loaded programs.</summary>
    IEnumerable<string> ProgramNames { get; }

    /// <summary>The names of the maps.</summary>
    IEnumerable<string> MapNames { get; }

    /// <summary>The program named <paramref name="name"/>; the collection owns it.</summary>
    /// <exception cref="KeyNotFoundException">No such program (the message lists the ones there are).</exception>
    IProgram GetProgram(string name);

    /// <summary>A typed view of the map named <paramref name="name"/>; the collection owns the map.</summary>
    /// <exception cref="KeyNotFoundException">No such map (the message lists the ones there are).</exception>
    /// <exception cref="ArgumentException">The struct sizes differ from the map's key and value sizes.</exception>
    IMap<TKey, TValue> GetMap<TKey, TValue>(string name) where TKey : unmanaged where TValue : unmanaged;
}
