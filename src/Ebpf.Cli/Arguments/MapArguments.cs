using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Map;

/// <summary>The MAP, key, value and flag arguments the map commands share.</summary>
internal static class MapArguments
{
    /// <summary><c>id ID | pinned FILE | name NAME</c>.</summary>
    public static ObjectReference Reference(Words words) =>
        words.Reference("MAP", ObjectReferenceKind.Id, ObjectReferenceKind.Pinned, ObjectReferenceKind.Name);

    /// <summary>Opens the one map the next words name.</summary>
    public static KernelMap Open(Words words, out MapInfo info)
    {
        (SafeBpfHandle handle, info) = KernelLookup.Map(Reference(words));
        return KernelMap.FromHandle(handle);
    }

    /// <summary>A byte list after <paramref name="keyword"/> (<c>key [hex] BYTES</c>), checked against <paramref name="size"/>.</summary>
    public static byte[] Bytes(Words words, string keyword, int size)
    {
        if (!words.Accept(keyword)) throw new CliError($"expected '{keyword} [hex] BYTES'{(words.Peek is { } w ? $", got '{w}'" : "")}");
        try
        {
            byte[] bytes = ByteList.Parse(words.All, ref words.Index, keyword);
            ByteList.CheckSize(bytes, size, keyword);
            return bytes;
        }
        catch (FormatException e)
        {
            throw new CliError($"map: {e.Message}");
        }
    }

    /// <summary>A value for a map whose values are fds (map-in-map, prog array): <c>id N | pinned PATH | name N</c> resolved to the fd.</summary>
    public static SafeBpfHandle ValueObject(Words words, MapType type)
    {
        var reference = words.Reference("value", ObjectReferenceKind.Id, ObjectReferenceKind.Pinned, ObjectReferenceKind.Name, ObjectReferenceKind.Tag);
        if (type == MapType.ProgArray) return KernelLookup.Program(reference).Handle;
        return KernelLookup.Map(reference).Handle;
    }

    /// <summary>The optional <c>any | noexist | exist</c> flag (bpftool's default is any).</summary>
    public static MapUpdateFlags UpdateFlags(Words words)
    {
        if (words.Accept("any")) return MapUpdateFlags.Any;
        if (words.Accept("noexist")) return MapUpdateFlags.NoExist;
        if (words.Accept("exist")) return MapUpdateFlags.Exist;
        return MapUpdateFlags.Any;
    }

    /// <summary>Whether the map's values are other objects' fds on update and their ids on lookup.</summary>
    public static bool HoldsObjects(MapType type) => type is MapType.ArrayOfMaps or MapType.HashOfMaps or MapType.ProgArray
        or MapType.PerfEventArray or MapType.CgroupArray;
}
