namespace Ebpf.Linux.Features;

/// <summary>
/// The kernel's spelling of enum values, for messages and feature names ("BPF_MAP_TYPE_LPM_TRIE"): the UAPI prefix
/// and <see cref="KernelEnumNames"/>'s short name in upper case.
/// </summary>
internal static class KernelNames
{
    internal static string Of(MapType type) => Spell("BPF_MAP_TYPE", Enum.IsDefined(type), KernelEnumNames.Name(type), (uint)type);

    internal static string Of(ProgramType type) => Spell("BPF_PROG_TYPE", Enum.IsDefined(type), KernelEnumNames.Name(type), (uint)type);

    internal static string Of(LinkType type) => Spell("BPF_LINK_TYPE", Enum.IsDefined(type), KernelEnumNames.Name(type), (uint)type);

    // Values newer than the enum print as "BPF_MAP_TYPE 42": the kernel has a name we do not know.
    private static string Spell(string prefix, bool known, string shortName, uint value) =>
        known ? $"{prefix}_{shortName.ToUpperInvariant()}" : $"{prefix} {value}";
}
