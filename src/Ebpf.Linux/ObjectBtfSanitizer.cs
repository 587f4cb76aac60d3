using Ebpf.Btf;
using Ebpf.Linux.Features;

namespace Ebpf.Linux;

/// <summary>
/// Rewrites an object's BTF into what the running kernel accepts, keeping every type id (func and line info, map
/// key/value types refer to them), like libbpf's bpf_object__sanitize_btf: kinds the kernel lacks become look-alikes
/// it knows, and extern declarations, which the kernel never accepts, become plain allocated ones.
/// </summary>
internal static class ObjectBtfSanitizer
{
    /// <summary>The kernel-ready BTF of <paramref name="btf"/>, probing which optional kinds the kernel knows.</summary>
    internal static BtfSpec Sanitize(BtfSpec btf) => Sanitize(btf, Supports);

    /// <summary>Rewrites <paramref name="btf"/> for a kernel that knows the kinds <paramref name="supports"/> says it knows.</summary>
    internal static BtfSpec Sanitize(BtfSpec btf, Func<BtfKind, bool> supports)
    {
        IReadOnlyList<BtfType> own = btf.OwnTypes;
        var types = new List<BtfType>(own);
        uint intId = 0;
        uint Int()
        {
            if (intId != 0) return intId;
            for (int i = 0; i < own.Count; i++)
                if (own[i] is BtfInt { Size: 4, Bits: 32, BitOffset: 0 }) return intId = btf.FirstTypeId + (uint)i;
            types.Add(new BtfInt("int", 4, BtfIntEncoding.Signed, 0, 32));   // appended: no existing id moves
            return intId = btf.FirstTypeId + (uint)types.Count - 1;
        }

        bool changed = false;
        for (int i = 0; i < own.Count; i++)
        {
            BtfType? replacement = own[i] switch
            {
                // clang leaves extern sections (.kconfig, .ksyms) and data sections the loader could not size at 0;
                // the kernel refuses size 0. Such a section's map then goes without a BTF value type.
                BtfDataSec { Size: 0 } => Placeholder(4),
                // Extern variables (of .kconfig/.ksyms; their types may be forward declarations) become allocated
                // ints; extern functions (kfunc and subprogram declarations) static: func info never names them.
                BtfVar { Linkage: BtfLinkage.Extern } v => new BtfVar(v.Name, Int(), BtfLinkage.Global),
                BtfFunc { Linkage: BtfLinkage.Extern } f => new BtfFunc(f.Name, f.Type, BtfLinkage.Static),
                BtfFloat f when !supports(BtfKind.Float) => SameSize(f.Size),                                  // 5.13
                BtfDeclTag when !supports(BtfKind.DeclTag) => Placeholder(1),                                  // 5.16
                BtfTypeTag t when !supports(BtfKind.TypeTag) => new BtfConst(t.Type),                          // 5.17
                BtfEnum { Is64: true } e when !supports(BtfKind.Enum64) => SameSize(e.Size),                   // 6.0
                _ => null,
            };
            if (replacement is null) continue;
            types[i] = replacement;
            changed = true;
        }
        return changed ? BtfSpec.FromTypes(types, btf) : btf;
    }

    private static BtfInt Placeholder(uint size) => new("", size, BtfIntEncoding.None, 0, (byte)(size * 8));

    // An int of the same size where BTF allows one (1, 2, 4, 8, 16 bytes), else a struct without members: the
    // same size is what keeps the layout of every type containing it.
    private static BtfType SameSize(uint size) =>
        size is 1 or 2 or 4 or 8 or 16 ? Placeholder(size) : new BtfStruct("", size, []);

    private static bool Supports(BtfKind kind) => kind switch
    {
        BtfKind.Float => KernelFeatures.BtfFloat.IsSupported,
        BtfKind.DeclTag => KernelFeatures.BtfDeclTag.IsSupported,
        BtfKind.TypeTag => KernelFeatures.BtfTypeTag.IsSupported,
        BtfKind.Enum64 => KernelFeatures.BtfEnum64.IsSupported,
        _ => true,
    };
}
