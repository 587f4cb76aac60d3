using Ebpf.Btf;
using Ebpf.Elf;

namespace Ebpf.Loader;

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
}
