using Ebpf.Btf;

namespace Ebpf.Linux.Events;

/// <summary>The BTF the kernel keeps for a map (from the object it was created from), for typed records.</summary>
public static class MapBtf
{
    /// <summary>
    /// Loads the BTF of <paramref name="map"/>'s object: the map's own BTF, or, for maps the kernel keeps none for
    /// (ring buffers and perf event arrays have no key/value types), the BTF of a loaded program that uses the map.
    /// Null when neither has BTF.
    /// </summary>
    /// <exception cref="BpfException">The BTF object could not be opened or read.</exception>
    public static BtfSpec? TryLoad(KernelMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        MapInfo info = map.Info();
        uint btfId = info.BtfId != 0 ? info.BtfId : ProgramBtfUsing(info.Id);
        if (btfId == 0) return null;
        return KernelBtf.Read(btfId);
    }

    private static uint ProgramBtfUsing(uint mapId)
    {
        foreach (uint id in KernelObjects.ProgramIds())
        {
            try
            {
                using SafeBpfHandle prog = KernelObjects.OpenProgramById(id);
                ProgramInfo p = ProgramInfo.Get(prog);
                if (p.BtfId != 0 && p.MapIds.Contains(mapId)) return p.BtfId;
            }
            catch (BpfException)
            {
                // unloaded meanwhile
            }
        }
        return 0;
    }

    /// <summary>
    /// The layout of <typeparamref name="T"/> checked against the map's value type (maps with typed values), or,
    /// with <paramref name="structName"/>, against that struct of the map's BTF (ring buffers and perf event arrays
    /// have no value type: name the record struct).
    /// </summary>
    /// <exception cref="InvalidOperationException">The map has no BTF, or no value type and no struct name was given.</exception>
    /// <exception cref="RecordLayoutMismatchException">The layouts differ.</exception>
    public static RecordLayout<T> Layout<T>(KernelMap map, string? structName = null) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(map);
        BtfSpec btf = TryLoad(map) ?? throw new InvalidOperationException($"map {map.Describe()} has no BTF: load it from an object with BTF (clang -g)");
        if (structName is not null) return RecordLayout<T>.FromStruct(btf, structName);
        uint valueType = map.Info().BtfValueTypeId;
        return valueType != 0 ? RecordLayout<T>.FromType(btf, valueType)
            : throw new InvalidOperationException($"map {map.Describe()} ({map.Type}) has no BTF value type: name the record struct");
    }
}
