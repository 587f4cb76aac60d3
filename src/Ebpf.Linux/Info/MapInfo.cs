using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>What the kernel reports about a map (struct bpf_map_info), as <c>bpftool map show</c> prints it.</summary>
public sealed record MapInfo
{
    /// <summary>The map's type.</summary>
    public required MapType Type { get; init; }
    /// <summary>The kernel's id.</summary>
    public required uint Id { get; init; }
    /// <summary>Key size in bytes.</summary>
    public required int KeySize { get; init; }
    /// <summary>Value size in bytes.</summary>
    public required int ValueSize { get; init; }
    /// <summary>Maximum number of elements.</summary>
    public required int MaxEntries { get; init; }
    /// <summary>Creation flags.</summary>
    public required MapFlags Flags { get; init; }
    /// <summary>The name (at most 15 characters).</summary>
    public required string Name { get; init; }
    /// <summary>The device the map is offloaded to, or 0.</summary>
    public int Ifindex { get; init; }
    /// <summary>Id of the BTF object describing key and value, or 0.</summary>
    public uint BtfId { get; init; }
    /// <summary>The key's type id in that BTF.</summary>
    public uint BtfKeyTypeId { get; init; }
    /// <summary>The value's type id in that BTF.</summary>
    public uint BtfValueTypeId { get; init; }
    /// <summary>For struct_ops maps: the value's type id in vmlinux BTF.</summary>
    public uint BtfVmlinuxValueTypeId { get; init; }
    /// <summary>The <c>map_extra</c> given at creation.</summary>
    public ulong MapExtra { get; init; }

    /// <summary>Reads the info of the map behind <paramref name="handle"/>.</summary>
    /// <exception cref="BpfException">The handle is not a map (EINVAL) or is closed.</exception>
    public static MapInfo Get(SafeBpfHandle handle) => Get(handle, $"map {handle}");

    internal static unsafe MapInfo Get(SafeBpfHandle handle, string subject)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var r = new MapInfoRecord();
        ObjectInfo.Get(handle, ref r, "get info of map", subject);
        return new MapInfo
        {
            Type = (MapType)r.Type, Id = r.Id, KeySize = (int)r.KeySize, ValueSize = (int)r.ValueSize, MaxEntries = (int)r.MaxEntries,
            Flags = (MapFlags)r.MapFlags, Name = ObjectName.Read(r.Name), Ifindex = (int)r.Ifindex, BtfId = r.BtfId,
            BtfKeyTypeId = r.BtfKeyTypeId, BtfValueTypeId = r.BtfValueTypeId, BtfVmlinuxValueTypeId = r.BtfVmlinuxValueTypeId,
            MapExtra = r.MapExtra,
        };
    }
}
