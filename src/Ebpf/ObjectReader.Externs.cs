using System.Buffers.Binary;
using System.Globalization;
using Ebpf.Btf;
using Ebpf.Elf;

namespace Ebpf;

internal sealed partial class ObjectReader
{
    private enum ExternKind { Kconfig = 1, Ksym = 2 }

    private enum KconfigType { Unknown, Bool, Tristate, Char, Int, CharArray }

    private sealed record Extern(string Name, int SymbolIndex, bool IsWeak, ExternKind Kind, uint BtfId, uint TypeId,
        int Size, int Alignment, KconfigType ConfigType, bool IsSigned)
    {
        public int DataOffset { get; set; }
    }

    private readonly List<Extern> _externs = [];
    private byte[] _kconfigData = [];

    // bpf_object__collect_externs: undefined global/weak NOTYPE symbols, described by a BTF VAR or FUNC in the
    // .kconfig or .ksyms DATASEC.
    private void CollectExterns()
    {
        foreach (ElfSymbol symbol in _elf.Symbols)
        {
            if (!symbol.IsUndefined || symbol.Type != ElfSymbolType.NoType
                || symbol.Binding is not (ElfSymbolBinding.Global or ElfSymbolBinding.Weak) || symbol.Name.Length == 0)
                continue;
            if (_btf is null) throw new ObjectRelocationException("extern needs BTF to be described, and the object has none", symbol: symbol.Name);
            uint btfId = FindExternBtfId(symbol.Name);
            BtfDataSec sec = FindExternSection(btfId, symbol.Name);
            var described = (BtfReferenceType)_btf[btfId];
            bool weak = symbol.Binding == ElfSymbolBinding.Weak;
            if (sec.Name == KconfigSection)
            {
                if (described is BtfFunc) throw new ObjectRelocationException("extern functions cannot be in .kconfig", KconfigSection, symbol: symbol.Name);
                int size = (int)ResolveSize(symbol.Name, described.Type);
                KconfigType type = FindKconfigType(described.Type, out bool signed);
                if (type == KconfigType.Unknown) throw new ObjectRelocationException("the type of this .kconfig extern is not supported", KconfigSection, symbol: symbol.Name);
                _externs.Add(new Extern(described.Name, symbol.Index, weak, ExternKind.Kconfig, btfId, described.Type, size,
                    AlignOf(described.Type), type, signed));
            }
            else if (sec.Name == ".ksyms")
            {
                uint typeId = described is BtfVar ? SkipId(described.Type) : described.Type;
                _externs.Add(new Extern(described.Name, symbol.Index, weak, ExternKind.Ksym, btfId, typeId, 0, 0, KconfigType.Unknown, false));
            }
            else throw new ObjectRelocationException($"extern is in section '{sec.Name}', not .kconfig or .ksyms", sec.Name, symbol: symbol.Name);
        }
        // cmp_externs: kconfig first by descending alignment, ascending size, then name; ksyms by name.
        _externs.Sort((a, b) =>
        {
            if (a.Kind != b.Kind) return a.Kind.CompareTo(b.Kind);
            if (a.Kind == ExternKind.Kconfig)
            {
                if (a.Alignment != b.Alignment) return b.Alignment.CompareTo(a.Alignment);
                if (a.Size != b.Size) return a.Size.CompareTo(b.Size);
            }
            return string.CompareOrdinal(a.Name, b.Name);
        });
        int offset = 0;
        foreach (Extern e in _externs.Where(e => e.Kind == ExternKind.Kconfig))
        {
            e.DataOffset = (offset + e.Alignment - 1) / e.Alignment * e.Alignment;
            offset = e.DataOffset + e.Size;
        }
        _kconfigData = new byte[offset];
        ResolveKconfig();
    }

    private uint FindExternBtfId(string name)
    {
        for (uint id = 1; id < (uint)_btf!.TypeCount; id++)
        {
            BtfType t = _btf[id];
            if (t is not (BtfVar or BtfFunc) || t.Name != name) continue;
            if (t is BtfVar { Linkage: not BtfLinkage.Extern } || t is BtfFunc { Linkage: not BtfLinkage.Extern })
                throw new ObjectRelocationException("the BTF of the extern is not marked extern", ".BTF", symbol: name);
            return id;
        }
        throw new ObjectRelocationException("no BTF VAR or FUNC describes the extern", ".BTF", symbol: name);
    }

    private BtfDataSec FindExternSection(uint btfId, string name)
    {
        for (uint id = 1; id < (uint)_btf!.TypeCount; id++)
            if (_btf[id] is BtfDataSec d && d.Variables.Any(v => v.Type == btfId)) return d;
        throw new ObjectRelocationException("no DATASEC holds the extern", ".BTF", symbol: name);
    }

    private uint SkipId(uint id)
    {
        for (int depth = 0; depth < 32 && TypeOrNull(id) is BtfTypedef or BtfVolatile or BtfConst or BtfRestrict or BtfTypeTag; depth++)
            id = ((BtfReferenceType)_btf![id]).Type;
        return id;
    }

    private KconfigType FindKconfigType(uint id, out bool signed)
    {
        signed = false;
        switch (Skip(id))
        {
            case BtfInt i when (i.Encoding & BtfIntEncoding.Bool) != 0: return i.Size == 1 ? KconfigType.Bool : KconfigType.Unknown;
            case BtfInt i:
                signed = i.IsSigned;
                if (i.Size == 1) return KconfigType.Char;
                return i.Size is 2 or 4 or 8 ? KconfigType.Int : KconfigType.Unknown;
            case BtfEnum { Is64: false, Size: 4, Name: "libbpf_tristate" }: return KconfigType.Tristate;
            case BtfArray { Length: > 0 } a: return FindKconfigType(a.ElementType, out _) == KconfigType.Char ? KconfigType.CharArray : KconfigType.Unknown;
            default: return KconfigType.Unknown;
        }
    }

    private int AlignOf(uint id)
    {
        BtfType? t = Skip(id);
        return t switch
        {
            BtfInt i => (int)Math.Min(i.Size, 8u),
            BtfEnum e => (int)Math.Min(e.Size, 8u),
            BtfPointer => 8,
            BtfArray a => AlignOf(a.ElementType),
            _ => 1,
        };
    }

    // bpf_object__resolve_externs (kconfig part): LINUX_KERNEL_VERSION, CONFIG_* from the caller's configuration,
    // weak ones left zero when unknown.
    private void ResolveKconfig()
    {
        foreach (Extern e in _externs.Where(e => e.Kind == ExternKind.Kconfig))
        {
            Span<byte> slot = _kconfigData.AsSpan(e.DataOffset, e.Size);
            string? value = null;
            if (e.Name == "LINUX_KERNEL_VERSION")
            {
                if (e.ConfigType != KconfigType.Int || e.Size != 4) throw KconfigError(e, "LINUX_KERNEL_VERSION must be a 32-bit integer");
                value = _options.KernelVersion.ToString(CultureInfo.InvariantCulture);
            }
            else if (!e.Name.StartsWith("CONFIG_", StringComparison.Ordinal) && e.Name != "LINUX_HAS_BPF_COOKIE" && e.Name != "LINUX_HAS_SYSCALL_WRAPPER")
            {
                throw KconfigError(e, "unrecognised extern (expected CONFIG_*, LINUX_KERNEL_VERSION)");
            }
            else if (_options.KernelConfig is { } config && config.TryGetValue(e.Name, out string? v)) value = v;
            if (value is null)
            {
                if (!e.IsWeak && e.Name.StartsWith("CONFIG_", StringComparison.Ordinal) && _options.KernelConfig is not null)
                    throw KconfigError(e, "strong extern is not set in the kernel configuration");
                continue; // weak, or no configuration given: zero, as for a kernel without the option
            }
            SetKconfigValue(e, slot, value);
        }
    }

    private static void SetKconfigValue(Extern e, Span<byte> slot, string value)
    {
        if (value is "y" or "n" or "m")
        {
            char c = value[0];
            switch (e.ConfigType)
            {
                case KconfigType.Bool when c != 'm': slot[0] = c == 'y' ? (byte)1 : (byte)0; return;
                case KconfigType.Tristate: BinaryPrimitives.WriteInt32LittleEndian(slot, c == 'y' ? 1 : c == 'm' ? 2 : 0); return;
                case KconfigType.Char: slot[0] = (byte)c; return;
                default: throw KconfigError(e, $"value '{c}' needs a bool, tristate or char extern");
            }
        }
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            if (e.ConfigType != KconfigType.CharArray) throw KconfigError(e, "a string value needs a char array extern");
            byte[] text = System.Text.Encoding.UTF8.GetBytes(value[1..^1]);
            int n = Math.Min(text.Length, slot.Length - 1);
            text.AsSpan(0, n).CopyTo(slot);
            slot[n] = 0;
            return;
        }
        if (e.ConfigType is not (KconfigType.Int or KconfigType.Char)) throw KconfigError(e, $"numeric value '{value}' needs an integer extern");
        if (!TryParseNumber(value, out ulong number)) throw KconfigError(e, $"'{value}' is not a number");
        if (e.Size < 8)
        {
            int bits = e.Size * 8;
            bool fits = e.IsSigned ? (long)number >= -(1L << (bits - 1)) && (long)number < (1L << (bits - 1)) : number >> bits == 0;
            if (!fits) throw KconfigError(e, $"value {value} does not fit in {e.Size} bytes");
        }
        Span<byte> all = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(all, number);
        all[..e.Size].CopyTo(slot);
    }

    private static bool TryParseNumber(string text, out ulong value)
    {
        // Like strtoull(.., 0): 0x hex, leading 0 octal, else decimal; a leading '-' for negative values.
        bool negative = text.StartsWith('-');
        string digits = negative ? text[1..] : text;
        bool ok;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            ok = ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        else if (digits.Length > 1 && digits[0] == '0')
        {
            value = 0;
            ok = true;
            foreach (char c in digits.AsSpan(1))
            {
                if (c is < '0' or > '7') { ok = false; break; }
                value = (value * 8) + (ulong)(c - '0');
            }
        }
        else ok = ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (negative) value = (ulong)-(long)value;
        return ok;
    }

    private static ObjectRelocationException KconfigError(Extern e, string message) => new(message, KconfigSection, symbol: e.Name);

    // bpf_object__init_kconfig_map: one read-only array holding every .kconfig extern.
    private void ReadKconfigMap()
    {
        if (!_externs.Any(e => e.Kind == ExternKind.Kconfig)) return;
        AddInternalMap(KconfigSection, MapKind.KernelConfig, _elf.SymbolTable!.Index, _kconfigData);
    }
}
