using Ebpf.Asm;
using Ebpf.Btf;
using Ebpf.Elf;

namespace Ebpf;

internal sealed partial class ObjectReader
{
    // bpf_object__collect_relos: code relocations per function, then the .maps slots; relocations sorted.
    private void CollectRelocations()
    {
        foreach (ElfRelocationSection table in _codeRelocations)
            CollectCodeRelocations(table);
        if (_mapsRelocations is not null && _mapsIndex >= 0) CollectMapSlots(_mapsRelocations);
        foreach (LinkProgram p in _programs) SortRelocations(p);
    }

    private static void SortRelocations(LinkProgram p) =>
        p.Relocations.Sort((a, b) => a.Instruction != b.Instruction ? a.Instruction.CompareTo(b.Instruction) : a.Kind.CompareTo(b.Kind));

    private void CollectCodeRelocations(ElfRelocationSection table)
    {
        ElfSection target = table.Target;
        for (int i = 0; i < table.Entries.Count; i++)
        {
            ElfRelocation rel = table.Entries[i];
            ElfSymbol symbol = _elf.GetSymbol(rel.SymbolIndex);
            if (symbol.SectionIndex >= _elf.Sections.Count)
                throw new ObjectRelocationException($"relocation #{i} refers to a symbol in special section 0x{symbol.SectionIndex:x}", table.Section.Name, (long)rel.Offset, symbol.Name);
            if (rel.Offset % Instruction.Size != 0 || rel.Offset >= target.Size)
                throw new ObjectRelocationException($"relocation #{i} at 0x{rel.Offset:x} is not at an instruction", table.Section.Name, (long)rel.Offset, symbol.Name);
            int instruction = (int)(rel.Offset / Instruction.Size);
            string name = symbol.Type == ElfSymbolType.Section && symbol.Name.Length == 0 ? _elf.GetSection(symbol.SectionIndex).Name : symbol.Name;
            LinkProgram? program = FindProgram(target.Index, instruction);
            if (program is null) continue; // not inside any function (an overridden weak function in libbpf's words)
            program.Relocations.Add(RecordRelocation(program, instruction - program.SectionInstructionOffset, name, symbol, target));
        }
    }

    // bpf_program__record_reloc.
    private Relocation RecordRelocation(LinkProgram program, int index, string name, ElfSymbol symbol, ElfSection section)
    {
        Instruction insn = program.Instructions[index];
        long at = (long)(program.SectionInstructionOffset + index) * Instruction.Size;
        bool isCall = insn.OpCode.Value == 0x85;
        if (!isCall && !insn.IsLoadImm64)
            throw new ObjectRelocationException($"relocation against an instruction with opcode 0x{insn.OpCode.Value:x2}, not a call or lddw", section.Name, at, name);
        if (index + 1 >= program.Instructions.Length && insn.IsLoadImm64)
            throw new ObjectRelocationException("relocated lddw has no second slot in its function", section.Name, at, name);

        if (symbol.IsUndefined && symbol.Type == ElfSymbolType.NoType && symbol.Binding is ElfSymbolBinding.Global or ElfSymbolBinding.Weak)
        {
            int ext = _externs.FindIndex(e => e.SymbolIndex == symbol.Index);
            if (ext < 0) throw new ObjectRelocationException("relocation against an extern libbpf does not know", section.Name, at, name);
            return new Relocation(isCall ? RelocationKind.ExternFunction : RelocationKind.ExternVariable, index, -1, ext, name);
        }
        if (isCall)
        {
            if (insn.Source != (Register)CallSource.Local)
                throw new ObjectRelocationException("relocated call is not a BPF_PSEUDO_CALL", section.Name, at, name);
            if (symbol.SectionIndex == 0 || symbol.SectionIndex != _textIndex)
                throw new ObjectRelocationException("call relocation against a symbol outside .text", section.Name, at, name);
            if (symbol.Value % Instruction.Size != 0)
                throw new ObjectRelocationException($"call relocation against offset {symbol.Value}, not an instruction", section.Name, at, name);
            return new Relocation(RelocationKind.Call, index, -1, (long)symbol.Value, name);
        }
        if (symbol.SectionIndex == 0)
            throw new ObjectRelocationException("relocation against an undefined symbol (forgot to initialise a global variable?)", section.Name, at, name);

        // sym_is_subprog: a .text section symbol (static function) or a global function in .text.
        if (symbol.SectionIndex == _textIndex
            && ((symbol.Binding == ElfSymbolBinding.Local && symbol.Type == ElfSymbolType.Section)
                || (symbol.Binding == ElfSymbolBinding.Global && symbol.Type == ElfSymbolType.Function)))
        {
            if (symbol.Value % Instruction.Size != 0 || insn.Immediate % Instruction.Size != 0)
                throw new ObjectRelocationException($"function address relocation at offset {symbol.Value}+{insn.Immediate} is not an instruction", section.Name, at, name);
            return new Relocation(RelocationKind.SubprogramAddress, index, -1, (long)symbol.Value, name);
        }

        if (symbol.SectionIndex == _mapsIndex || symbol.SectionIndex == _legacyMapsIndex)
        {
            int map = _maps.FindIndex(m => m.SectionIndex == symbol.SectionIndex && m.SectionOffset == symbol.Value && m.Spec.Kind is MapKind.Btf or MapKind.Legacy);
            if (map < 0) throw new ObjectRelocationException($"no map is defined at offset {symbol.Value} of {_elf.GetSection(symbol.SectionIndex).Name}", section.Name, at, name);
            return new Relocation(RelocationKind.Map, index, map, 0, name);
        }
        if (!_dataSections.ContainsKey(symbol.SectionIndex))
            throw new ObjectRelocationException($"relocation against section '{_elf.GetSection(symbol.SectionIndex).Name}', which is neither maps nor global data", section.Name, at, name);
        int data = _maps.FindIndex(m => m.SectionIndex == symbol.SectionIndex && m.Spec.Kind is MapKind.Data or MapKind.ReadOnlyData or MapKind.Bss);
        if (data < 0) throw new ObjectRelocationException("relocation against an empty data section", section.Name, at, name);
        return new Relocation(RelocationKind.Data, index, data, (long)symbol.Value, name);
    }

    // bpf_object__collect_map_relos: pointers in the 'values' member of a map-in-map or program array.
    private void CollectMapSlots(ElfRelocationSection table)
    {
        var slots = new Dictionary<int, SortedDictionary<uint, string>>();
        foreach (ElfRelocation rel in table.Entries)
        {
            ElfSymbol symbol = _elf.GetSymbol(rel.SymbolIndex);
            string name = symbol.Name;
            int owner = _maps.FindIndex(m => m.SectionIndex == _mapsIndex && m.Spec.Kind == MapKind.Btf
                && m.SectionOffset <= rel.Offset && rel.Offset + 8 <= m.SectionOffset + m.DefinitionSize);
            if (owner < 0) throw new ObjectRelocationException($"no map definition covers offset {rel.Offset}", MapsSection, (long)rel.Offset, name);
            MapSpec map = _maps[owner].Spec;
            bool mapInMap = map.Type is MapType.ArrayOfMaps or MapType.HashOfMaps;
            string targetName;
            if (mapInMap)
            {
                if (symbol.SectionIndex != _mapsIndex) throw new ObjectRelocationException($"'{name}' in map '{map.Name}' is not a BTF-defined map", MapsSection, (long)rel.Offset, name);
                if (map.Type == MapType.HashOfMaps && map.KeySize != 4) throw new ObjectRelocationException($"hash-of-maps '{map.Name}' must have 4-byte keys", MapsSection, (long)rel.Offset, name);
                if (!_maps.Any(m => m.Spec.Name == name)) throw new ObjectRelocationException($"'{name}' is not a map", MapsSection, (long)rel.Offset, name);
                targetName = name;
            }
            else if (map.Type == MapType.ProgArray)
            {
                LinkProgram? program = _programs.FirstOrDefault(p => p.Name == name && !p.IsSubprogram);
                if (program is null) throw new ObjectRelocationException($"'{name}' in program array '{map.Name}' is not a program", MapsSection, (long)rel.Offset, name);
                if (program.Section.Index != symbol.SectionIndex || (ulong)program.SectionInstructionOffset * Instruction.Size != symbol.Value)
                    throw new ObjectRelocationException($"'{name}' is not an entry-point program", MapsSection, (long)rel.Offset, name);
                targetName = name;
            }
            else throw new ObjectRelocationException($"map '{map.Name}' of type {map.Type} cannot hold initial values", MapsSection, (long)rel.Offset, name);

            BtfMember? values = ValuesMember(map.Name);
            ulong start = _maps[owner].SectionOffset + ((values?.BitOffset ?? uint.MaxValue) / 8);
            if (values is null || rel.Offset < start || (rel.Offset - start) % 8 != 0)
                throw new ObjectRelocationException($"relocation at {rel.Offset} is not a slot of the 'values' of map '{map.Name}'", MapsSection, (long)rel.Offset, name);
            uint slot = (uint)((rel.Offset - start) / 8);
            if (!slots.TryGetValue(owner, out var list)) slots[owner] = list = [];
            list[slot] = targetName;
        }
        foreach ((int owner, SortedDictionary<uint, string> list) in slots)
            _maps[owner].Spec = _maps[owner].Spec with { InitialSlots = [.. list.Select(kv => new MapSlot(kv.Key, kv.Value))] };
    }

    private BtfMember? ValuesMember(string mapName)
    {
        foreach (BtfType t in _btf!.OwnTypes)
        {
            if (t is not BtfDataSec { Name: MapsSection } sec) continue;
            foreach (BtfVarSecInfo vi in sec.Variables)
                if (TypeOrNull(vi.Type) is BtfVar v && v.Name == mapName && Skip(v.Type) is BtfStruct def && def.Members.Count > 0
                    && def.Members[^1].Name == "values")
                    return def.Members[^1];
        }
        return null;
    }
}
