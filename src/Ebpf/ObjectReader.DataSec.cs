using Ebpf.Btf;
using Ebpf.Elf;

namespace Ebpf;

internal sealed partial class ObjectReader
{
    /// <summary>A DATASEC variable after libbpf's fix-up: its offset from the ELF symbol, and hidden globals made static.</summary>
    private readonly record struct SectionVariable(uint Type, uint Offset, uint Size, BtfLinkage Linkage);

    private readonly Dictionary<BtfDataSec, SectionVariable[]> _fixedSections = new(ReferenceEqualityComparer.Instance);

    // btf_fixup_datasec: clang leaves DATASEC sizes and variable offsets zero; libbpf takes them from the ELF section
    // and symbols, marks STV_HIDDEN globals static, and sorts the variables by offset (the order maps are created in).
    private SectionVariable[] FixedVariables(BtfDataSec datasec)
    {
        if (_fixedSections.TryGetValue(datasec, out SectionVariable[]? known)) return known;
        var vars = new SectionVariable[datasec.Variables.Count];
        bool extern_ = datasec.Name is KconfigSection or ".ksyms";
        bool fixOffsets = !extern_ && datasec.Size == 0;
        if (fixOffsets && (_elf.FindSection(datasec.Name) is not { Size: > 0 }))
            throw new ObjectFormatException($"BTF DATASEC '{datasec.Name}' has no size and the object has no such section", ".BTF");
        for (int i = 0; i < vars.Length; i++)
        {
            BtfVarSecInfo vi = datasec.Variables[i];
            vars[i] = new SectionVariable(vi.Type, vi.Offset, vi.Size, BtfLinkage.Static);
            if (extern_) { vars[i] = vars[i] with { Linkage = (TypeOrNull(vi.Type) as BtfVar)?.Linkage ?? BtfLinkage.Global }; continue; }
            if (TypeOrNull(vi.Type) is not BtfVar variable)
                throw new ObjectFormatException($"DATASEC '{datasec.Name}' member #{i} is not a VAR", ".BTF");
            vars[i] = vars[i] with { Linkage = variable.Linkage };
            if (variable.Linkage is BtfLinkage.Static or BtfLinkage.Extern) continue;
            ElfSymbol? symbol = null;
            foreach (ElfSymbol s in _elf.Symbols)
                if (s.Type == ElfSymbolType.Object && s.Binding is ElfSymbolBinding.Global or ElfSymbolBinding.Weak && s.Name == variable.Name)
                { symbol = s; break; }
            if (symbol is not { } sym)
                throw new ObjectFormatException($"DATASEC '{datasec.Name}': no ELF symbol for variable '{variable.Name}'", ".BTF");
            if (fixOffsets) vars[i] = vars[i] with { Offset = (uint)sym.Value };
            if (sym.Visibility is ElfSymbolVisibility.Hidden or ElfSymbolVisibility.Internal) vars[i] = vars[i] with { Linkage = BtfLinkage.Static };
        }
        // qsort by offset; ties keep their order here (libbpf's qsort leaves them unspecified).
        SectionVariable[] sorted = [.. vars.Select((v, i) => (v, i)).OrderBy(x => x.v.Offset).ThenBy(x => x.i).Select(x => x.v)];
        _fixedSections[datasec] = sorted;
        return sorted;
    }

    /// <summary>
    /// The object's BTF as libbpf holds it after open (bpf_object__finalize_btf): each data section's DATASEC gets the
    /// section's size and its variables' offsets from the symbol table, hidden globals become static. The kernel
    /// rejects a DATASEC of size 0, and a global data map's BTF value type is its DATASEC. Extern sections (.kconfig,
    /// .ksyms) are laid out by the loader and left as clang wrote them.
    /// </summary>
    private BtfSpec? FinalBtf()
    {
        if (_btf is null) return null;
        BtfType[]? types = null;
        for (int i = 0; i < _btf.OwnTypes.Count; i++)
        {
            if (_btf.OwnTypes[i] is not BtfDataSec { Size: 0 } datasec || datasec.Name is KconfigSection or ".ksyms") continue;
            if (_elf.FindSection(datasec.Name) is not { Size: > 0 and <= uint.MaxValue } section) continue;
            types ??= [.. _btf.OwnTypes];
            SectionVariable[] fixedVars = FixedVariables(datasec);
            types[i] = new BtfDataSec(datasec.Name, (uint)section.Size, [.. fixedVars.Select(v => new BtfVarSecInfo(v.Type, v.Offset, v.Size))]);
            foreach (SectionVariable v in fixedVars)
            {
                int index = (int)(v.Type - _btf.FirstTypeId);
                if (index >= 0 && index < types.Length && types[index] is BtfVar variable && variable.Linkage != v.Linkage)
                    types[index] = new BtfVar(variable.Name, variable.Type, v.Linkage);
            }
        }
        return types is null ? _btf : BtfSpec.FromTypes(types, _btf);
    }
}
