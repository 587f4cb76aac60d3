using Ebpf.Asm;
using Ebpf.Btf;
using Ebpf.CoRe;

namespace Ebpf;

internal sealed partial class ObjectReader
{
    // bpf_object__relocate_core: patch each function's own instructions before linking, in .BTF.ext order; records
    // outside any function (eliminated weak functions) and of functions not loaded are skipped.
    private void ApplyCoRe()
    {
        if (_extInfo is null || _extInfo.CoRe.Count == 0) return;
        CoReRelocator? relocator = _options.TargetBtf is null ? null : new CoReRelocator(_btf!, _options.TargetBtf);
        foreach ((int sectionIndex, List<BtfCoReRelocation> records) in _extInfo.CoRe)
        {
            string section = _elf.GetSection(sectionIndex).Name;
            foreach (BtfCoReRelocation relo in records)
            {
                if (relo.InstructionOffset % Instruction.Size != 0)
                    throw new ObjectFormatException($"CO-RE relocation at byte {relo.InstructionOffset} is not at an instruction", section, relo.InstructionOffset, "insn_off");
                int instruction = (int)(relo.InstructionOffset / Instruction.Size);
                LinkProgram? program = FindProgram(sectionIndex, instruction);
                if (program is null || !program.AutoLoad) continue;
                int index = instruction - program.SectionInstructionOffset;
                if (relocator is null)
                {
                    // Kept with the function: linking moves it with the code, and the load resolves it (libbpf and
                    // cilium/ebpf relocate against the running kernel there too).
                    program.PendingCoRe.Add(new PendingCoReRelocation(index, relo, section));
                    continue;
                }
                relocator.Apply(program.Instructions, index, relo, section);
                program.Relocations.Add(new Relocation(RelocationKind.CoRe, index, -1, 0, relo.AccessString));
                program.CoReCount++;
            }
        }
        foreach (LinkProgram p in _programs) SortRelocations(p);
    }
}
