using System.Buffers.Binary;
using System.Collections.Immutable;
using Ebpf.Btf;
using Ebpf.Elf;

namespace Ebpf;

internal sealed partial class ObjectReader
{
    /// <summary>BPF_F_RDONLY_PROG: the program cannot write the map (libbpf sets it on .rodata and .kconfig).</summary>
    internal const uint ReadOnlyProgFlag = 1u << 7;

    /// <summary>BPF_F_MMAPABLE: user space can mmap the array (libbpf sets it on global data exposed to skeletons).</summary>
    internal const uint MmapableFlag = 1u << 10;

    private const int LegacyMapDefinitionSize = 20; // struct bpf_map_def: type, key_size, value_size, max_entries, map_flags

    // bpf_object__init_user_btf_maps: one map per VAR of the .maps DATASEC.
    private void ReadBtfMaps()
    {
        if (_mapsIndex < 0) return;
        ElfSection section = _elf.GetSection(_mapsIndex);
        if (_btf is null)
            throw new ObjectFormatException("the object defines maps in .maps but has no .BTF to describe them", MapsSection);
        BtfDataSec? datasec = null;
        for (uint id = 1; id < (uint)_btf.TypeCount; id++)
            if (_btf[id] is BtfDataSec d && d.Name == MapsSection) { datasec = d; break; }
        if (datasec is null) throw new ObjectFormatException("BTF has no DATASEC '.maps'", MapsSection);

        SectionVariable[] variables = FixedVariables(datasec);
        for (int i = 0; i < variables.Length; i++)
        {
            SectionVariable vi = variables[i];
            BtfType? type = TypeOrNull(vi.Type);
            string name = type?.Name ?? "";
            if (name.Length == 0) throw new ObjectFormatException($"map #{i} has no name", MapsSection, vi.Offset);
            if ((ulong)vi.Offset + vi.Size > section.Size)
                throw new ObjectFormatException($"map '{name}' at {vi.Offset} of {vi.Size} bytes lies outside the {section.Size}-byte section", MapsSection, vi.Offset);
            if (type is not BtfVar variable) throw new ObjectFormatException($"map '{name}' is a {type!.Kind}, not a VAR", MapsSection, vi.Offset);
            if (vi.Linkage != BtfLinkage.Global)
                throw new ObjectFormatException($"map '{name}' has {vi.Linkage} linkage (hidden counts as static); maps must be global", MapsSection, vi.Offset);
            if (Skip(variable.Type) is not BtfStruct def)
                throw new ObjectFormatException($"map '{name}' is not defined by a struct", MapsSection, vi.Offset);
            if (def.Size > vi.Size) throw new ObjectFormatException($"map '{name}': definition of {def.Size} bytes is larger than its {vi.Size}-byte variable", MapsSection, vi.Offset);

            MapSpec spec = ParseMapDefinition(name, def, inner: false, out MapSpec? innerSpec);
            spec = spec with { InnerMap = innerSpec, Kind = MapKind.Btf, SectionName = MapsSection };
            _maps.Add(new MapEntry(spec, _mapsIndex, vi.Offset, vi.Size));
        }
    }

    // parse_btf_map_def: every member is an attribute; __uint(name, N) is a pointer to an array of N elements.
    private MapSpec ParseMapDefinition(string name, BtfStruct def, bool inner, out MapSpec? innerSpec)
    {
        innerSpec = null;
        MapType type = MapType.Unspec;
        uint keySize = 0, valueSize = 0, maxEntries = 0, flags = 0, numa = 0, pinning = 0, keyType = 0, valueType = 0;
        ulong extra = 0;
        for (int i = 0; i < def.Members.Count; i++)
        {
            BtfMember m = def.Members[i];
            switch (m.Name)
            {
                case "type": type = (MapType)MapInt(name, m); break;
                case "max_entries": maxEntries = MapInt(name, m); break;
                case "map_flags": flags = MapInt(name, m); break;
                case "numa_node": numa = MapInt(name, m); break;
                case "map_extra": extra = MapInt(name, m); break;
                case "key_size": keySize = SetSize(name, "key", keySize, MapInt(name, m)); break;
                case "value_size": valueSize = SetSize(name, "value", valueSize, MapInt(name, m)); break;
                case "key":
                    keyType = PointeeOf(name, m);
                    keySize = SetSize(name, "key", keySize, ResolveSize(name, keyType));
                    break;
                case "value":
                    valueType = PointeeOf(name, m);
                    valueSize = SetSize(name, "value", valueSize, ResolveSize(name, valueType));
                    break;
                case "values":
                    innerSpec = ParseValues(name, def, i, m, type, inner, ref valueSize);
                    break;
                case "pinning":
                    if (inner) throw MapError(name, "an inner map definition cannot be pinned");
                    pinning = MapInt(name, m);
                    if (pinning > (uint)MapPinning.ByName) throw MapError(name, $"invalid pinning value {pinning}");
                    break;
                default:
                    throw MapError(name, $"unknown attribute '{m.Name}'");
            }
        }
        if (type == MapType.Unspec) throw MapError(name, "map type is not specified");
        if (type is MapType.RingBuffer or MapType.UserRingBuffer) maxEntries = AdjustRingBufferSize(maxEntries);
        return new MapSpec
        {
            Name = name, Type = type, KeySize = keySize, ValueSize = valueSize, MaxEntries = maxEntries, Flags = flags,
            NumaNode = numa, MapExtra = extra, Pinning = (MapPinning)pinning, BtfKeyTypeId = keyType, BtfValueTypeId = valueType,
        };
    }

    private MapSpec? ParseValues(string name, BtfStruct def, int index, BtfMember m, MapType type, bool inner, ref uint valueSize)
    {
        bool mapInMap = type is MapType.ArrayOfMaps or MapType.HashOfMaps;
        bool progArray = type == MapType.ProgArray;
        if (inner) throw MapError(name, "multi-level inner maps are not supported");
        if (index != def.Members.Count - 1) throw MapError(name, "'values' must be the last member");
        if (!mapInMap && !progArray) throw MapError(name, "'values' needs a map-in-map or program array type (declare 'type' first)");
        valueSize = SetSize(name, "value", valueSize, 4);
        if (TypeOrNull(m.Type) is not BtfArray { Length: 0 } array) throw MapError(name, "'values' is not a zero-sized array");
        if (Skip(array.ElementType) is not BtfPointer pointer) throw MapError(name, "'values' elements are not pointers");
        BtfType? target = Skip(pointer.Type);
        if (progArray)
            return target is BtfFuncProto ? null : throw MapError(name, $"program array 'values' point to {target?.Kind}, not functions");
        if (target is not BtfStruct innerDef) throw MapError(name, $"map-in-map 'values' point to {target?.Kind}, not a map definition");
        MapSpec spec = ParseMapDefinition(name + ".inner", innerDef, inner: true, out _);
        return spec with { Kind = MapKind.Btf, SectionName = MapsSection };
    }

    // get_map_field_int: __uint(name, N) is int (*name)[N]; the value is N.
    private uint MapInt(string map, BtfMember m)
    {
        if (Skip(m.Type) is not BtfPointer pointer) throw MapError(map, $"attribute '{m.Name}' is not a pointer to an array");
        if (TypeOrNull(pointer.Type) is not BtfArray array) throw MapError(map, $"attribute '{m.Name}' does not point to an array");
        return array.Length;
    }

    private uint PointeeOf(string map, BtfMember m) =>
        TypeOrNull(m.Type) is BtfPointer p ? p.Type : throw MapError(map, $"'{m.Name}' is not a pointer (use __type({m.Name}, T))");

    private uint ResolveSize(string map, uint type)
    {
        try
        {
            ulong size = _btf!.SizeOf(type);
            return size <= uint.MaxValue ? (uint)size : throw MapError(map, $"type [{type}] is {size} bytes, too large");
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or OverflowException)
        {
            throw new ObjectFormatException($"map '{map}': cannot determine the size of type [{type}]: {e.Message}", e, MapsSection);
        }
    }

    private static uint SetSize(string map, string what, uint current, uint size) =>
        current != 0 && current != size ? throw MapError(map, $"conflicting {what} size {current} != {size}") : size;

    private static ObjectFormatException MapError(string map, string message) => new($"map '{map}': {message}", MapsSection);

    // adjust_ringbuf_sz: the kernel wants a power-of-2 number of pages.
    private static uint AdjustRingBufferSize(uint size)
    {
        uint page = (uint)Environment.SystemPageSize;
        if (size == 0) return 0;
        if (size % page == 0 && uint.IsPow2(size / page)) return size;
        for (ulong mul = 1; mul <= uint.MaxValue / page; mul <<= 1)
            if (mul * page > size) return (uint)(mul * page);
        return size;
    }

    // libbpf before 1.0: struct bpf_map_def per symbol of the "maps" section, all the same size.
    private void ReadLegacyMaps()
    {
        if (_legacyMapsIndex < 0) return;
        ElfSection section = _elf.GetSection(_legacyMapsIndex);
        ElfSymbol[] symbols = [.. _elf.Symbols.Where(s => s.SectionIndex == _legacyMapsIndex && s.Type != ElfSymbolType.Section && s.Index != 0)];
        if (symbols.Length == 0) return;
        ReadOnlySpan<byte> data = section.Data.Span;
        if (data.Length == 0 || data.Length % symbols.Length != 0)
            throw new ObjectFormatException($"{data.Length} bytes do not divide into {symbols.Length} map definitions", LegacyMapsSection, (long)section.Offset);
        int size = data.Length / symbols.Length;
        Span<byte> fields = stackalloc byte[LegacyMapDefinitionSize];
        foreach (ElfSymbol symbol in symbols)
        {
            if (symbol.Value > (ulong)(data.Length - size))
                throw new ObjectFormatException($"map '{symbol.Name}' at {symbol.Value} runs past the end", LegacyMapsSection, (long)symbol.Value);
            ReadOnlySpan<byte> def = data.Slice((int)symbol.Value, size);
            if (size > LegacyMapDefinitionSize && def[LegacyMapDefinitionSize..].ContainsAnyExcept((byte)0))
                throw new ObjectFormatException($"map '{symbol.Name}' has unrecognised non-zero bytes after struct bpf_map_def", LegacyMapsSection, (long)symbol.Value);
            fields.Clear();
            def[..Math.Min(size, LegacyMapDefinitionSize)].CopyTo(fields);
            var spec = new MapSpec
            {
                Name = symbol.Name,
                Type = (MapType)BinaryPrimitives.ReadUInt32LittleEndian(fields),
                KeySize = BinaryPrimitives.ReadUInt32LittleEndian(fields[4..]),
                ValueSize = BinaryPrimitives.ReadUInt32LittleEndian(fields[8..]),
                MaxEntries = BinaryPrimitives.ReadUInt32LittleEndian(fields[12..]),
                Flags = BinaryPrimitives.ReadUInt32LittleEndian(fields[16..]),
                Kind = MapKind.Legacy,
                SectionName = LegacyMapsSection,
            };
            if (spec.Type is MapType.RingBuffer or MapType.UserRingBuffer) spec = spec with { MaxEntries = AdjustRingBufferSize(spec.MaxEntries) };
            _maps.Add(new MapEntry(spec, _legacyMapsIndex, symbol.Value, (ulong)size));
        }
    }

    private const ulong MaxGlobalDataSize = 256UL << 20;

    // bpf_object__init_global_data_maps: each non-empty .data*, .rodata*, .bss* section is a one-element array.
    private void ReadGlobalDataMaps()
    {
        foreach ((int index, MapKind kind) in _dataSections.OrderBy(kv => kv.Key))
        {
            ElfSection section = _elf.GetSection(index);
            if (section.Size == 0) continue;
            // A .bss has no bytes in the file, so its size alone decides what is allocated: bound it (mutated or hostile
            // objects must not exhaust memory). The kernel refuses such global-data maps anyway.
            if (section.Size > MaxGlobalDataSize)
                throw new ObjectFormatException($"data section of {section.Size} bytes is larger than the {MaxGlobalDataSize >> 20} MiB a global-data map may hold", section.Name);
            byte[] value = kind == MapKind.Bss ? new byte[section.Size] : section.Data.ToArray();
            AddInternalMap(section.Name, kind, index, value);
        }
    }

    private void AddInternalMap(string realName, MapKind kind, int sectionIndex, byte[] value)
    {
        uint valueType = 0;
        if (_btf is not null && _btf.FindByName(realName) is { Count: > 0 } ids) valueType = ids[0];
        uint flags = kind is MapKind.ReadOnlyData or MapKind.KernelConfig ? ReadOnlyProgFlag : 0;
        bool mmapable = _options.GlobalDataMmap == GlobalDataMmap.Always || IsMmapable(valueType);
        if (mmapable) flags |= MmapableFlag;
        var spec = new MapSpec
        {
            Name = InternalMapName(_objectName, realName), Type = MapType.Array, KeySize = 4, ValueSize = (uint)value.Length,
            MaxEntries = 1, Flags = flags, BtfValueTypeId = valueType, Kind = kind, SectionName = realName,
            InitialValue = ImmutableArray.Create(value),
        };
        _maps.Add(new MapEntry(spec, sectionIndex, 0, (ulong)value.Length));
    }

    // map_is_mmapable: some VAR of the DATASEC is not static (a skeleton would expose it).
    private bool IsMmapable(uint datasecId)
    {
        if (datasecId == 0 || TypeOrNull(datasecId) is not BtfDataSec datasec) return false;
        foreach (SectionVariable vi in FixedVariables(datasec))
            if (TypeOrNull(vi.Type) is BtfVar && vi.Linkage != BtfLinkage.Static) return true;
        return false;
    }

    /// <summary>
    /// libbpf's internal_map_name: up to 8 bytes of the object name then the section name (whose length counts as at
    /// least 7), 15 bytes in all; names with a second dot (<c>.rodata.str1.1</c>) get no prefix; characters other
    /// than letters, digits, '_' and '.' become '_'.
    /// </summary>
    internal static string InternalMapName(string objectName, string realName)
    {
        const int maxName = ObjectNames.MaxLength - 1;
        int suffix = Math.Min(Math.Max(7, realName.Length), maxName);
        int prefix = realName.IndexOf('.', 1) >= 0 ? 0 : Math.Min(maxName - suffix, objectName.Length);
        string name = objectName[..prefix] + (realName.Length > suffix ? realName[..suffix] : realName);
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '_' && chars[i] != '.') chars[i] = '_';
        return new string(chars);
    }

    private BtfType? TypeOrNull(uint id) => _btf is not null && _btf.Contains(id) ? _btf[id] : null;

    // skip_mods_and_typedefs, bounded and tolerant of bad ids.
    private BtfType? Skip(uint id)
    {
        for (int depth = 0; depth < 32; depth++)
        {
            BtfType? t = TypeOrNull(id);
            if (t is BtfTypedef or BtfVolatile or BtfConst or BtfRestrict or BtfTypeTag) id = ((BtfReferenceType)t).Type;
            else return t;
        }
        return null;
    }
}
