namespace Ebpf;

/// <summary>
/// An initial element of a map-in-map or program array, from the <c>values</c> member of its BTF definition:
/// slot <paramref name="Index"/> holds the map or program named <paramref name="Target"/>.
/// </summary>
/// <param name="Index">The key (array index).</param>
/// <param name="Target">The name of a map of the collection (map-in-map) or of a program (program array).</param>
public readonly record struct MapSlot(uint Index, string Target);
