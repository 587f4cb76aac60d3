namespace Ebpf.Vm.Maps;

/// <summary>Creates the userspace map a spec describes, or says which field the kernel would refuse.</summary>
public static class VmMapFactory
{
    /// <summary>The map types the VM implements.</summary>
    public static IReadOnlySet<MapType> Supported { get; } = new HashSet<MapType>
    {
        MapType.Array, MapType.PerCpuArray, MapType.Hash, MapType.PerCpuHash, MapType.LruHash, MapType.LruPerCpuHash, MapType.Queue, MapType.Stack, MapType.BloomFilter, MapType.LpmTrie, MapType.RingBuffer, MapType.ArrayOfMaps, MapType.HashOfMaps, MapType.ProgArray,
    };

    /// <summary>Creates the map <paramref name="spec"/> describes, empty (global data maps: with their initial bytes).</summary>
    /// <exception cref="MapException">The spec has sizes or flags the kernel refuses for its type (EINVAL), or the type is not implemented yet.</exception>
    public static VmMap Create(MapSpec spec, VmMapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= VmMapOptions.Default;
        return spec.Type switch
        {
            MapType.Array or MapType.PerCpuArray => new VmArrayMap(spec, options),
            MapType.Hash or MapType.PerCpuHash => new VmHashMap(spec, options),
            MapType.LruHash or MapType.LruPerCpuHash => new VmLruHashMap(spec, options),
            MapType.Queue or MapType.Stack => new VmQueueMap(spec, options),
            MapType.BloomFilter => new VmBloomFilterMap(spec, options),
            MapType.LpmTrie => new VmLpmTrieMap(spec, options),
            MapType.RingBuffer => new VmRingBuffer(spec, options),
            MapType.ArrayOfMaps or MapType.HashOfMaps => new VmMapOfMaps(spec, options),
            MapType.ProgArray => new VmProgramArray(spec, options),
            _ => throw new MapException($"map '{spec.Name}': the userspace VM has no {spec.Type} maps yet (it has {string.Join(", ", Supported)})", MapResult.NotSupported),
        };
    }

    internal static MapException Invalid(MapSpec spec, string why) =>
        new($"create map '{spec.Name}' ({spec.Type}): {why}, as the kernel refuses with EINVAL", MapResult.Invalid);
}
