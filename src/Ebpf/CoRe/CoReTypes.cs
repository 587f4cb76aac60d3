using Ebpf.Btf;

namespace Ebpf.CoRe;

/// <summary>libbpf's CO-RE type rules: flavour-stripped names, kind compatibility, field/type compatibility and matching.</summary>
internal static class CoReTypes
{
    /// <summary>bpf_core_essential_name_len: the name up to a "___flavor" suffix (X___Y, X and Y not '_').</summary>
    public static int EssentialLength(string name)
    {
        for (int i = name.Length - 5; i >= 0; i--)
            if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' && name[i + 3] == '_' && name[i + 4] != '_')
                return i + 1;
        return name.Length;
    }

    public static bool EssentialNamesEqual(string a, string b)
    {
        int la = EssentialLength(a), lb = EssentialLength(b);
        return la == lb && string.CompareOrdinal(a, 0, b, 0, la) == 0;
    }

    public static bool IsEnum(BtfType t) => t is BtfEnum;

    /// <summary>btf_kind_core_compat: same kind, or both enums (32 or 64 bit).</summary>
    public static bool KindsCompatible(BtfType a, BtfType b) => a.Kind == b.Kind || (a is BtfEnum && b is BtfEnum);

    public static BtfType? Get(BtfSpec btf, uint id) => btf.Contains(id) ? btf[id] : null;

    /// <summary>skip_mods_and_typedefs, returning the id reached.</summary>
    public static BtfType? Skip(BtfSpec btf, uint id, out uint resolved)
    {
        resolved = id;
        for (int depth = 0; depth < 32; depth++)
        {
            BtfType? t = Get(btf, resolved);
            if (t is BtfTypedef or BtfVolatile or BtfConst or BtfRestrict or BtfTypeTag) resolved = ((BtfReferenceType)t).Type;
            else return t;
        }
        return null;
    }

    /// <summary>btf__resolve_size: -1 when the type has no size or is too large.</summary>
    public static long ResolveSize(BtfSpec btf, uint id)
    {
        ulong elements = 1;
        BtfType? t = Get(btf, id);
        for (int depth = 0; depth < 32 && t is not null and not BtfVoid; depth++)
        {
            long size;
            switch (t)
            {
                case BtfInt i: size = i.Size; break;
                case BtfComposite c: size = c.Size; break;
                case BtfEnum e: size = e.Size; break;
                case BtfDataSec d: size = d.Size; break;
                case BtfFloat f: size = f.Size; break;
                case BtfPointer: size = 8; break;
                case BtfTypedef or BtfVolatile or BtfConst or BtfRestrict or BtfVar or BtfDeclTag or BtfTypeTag:
                    t = Get(btf, ((BtfReferenceType)t).Type);
                    continue;
                case BtfArray a:
                    if (elements != 0 && a.Length > uint.MaxValue / elements) return -1;
                    elements *= a.Length;
                    t = Get(btf, a.ElementType);
                    continue;
                default: return -1;
            }
            if (elements != 0 && (ulong)size > uint.MaxValue / elements) return -1;
            return (long)((ulong)size * elements);
        }
        return -1;
    }

    /// <summary>bpf_core_types_are_compat (type-based relocations): 1 compatible, 0 not, -1 error.</summary>
    public static int AreCompatible(BtfSpec local, uint localId, BtfSpec target, uint targetId, int level = 32)
    {
        BtfType? lt = Get(local, localId), tt = Get(target, targetId);
        if (lt is null || tt is null) return -1;
        if (!KindsCompatible(lt, tt)) return 0;
        for (int depth = 32; ; )
        {
            if (--depth < 0) return -1;
            lt = Skip(local, localId, out localId);
            tt = Skip(target, targetId, out targetId);
            if (lt is null || tt is null) return -1;
            if (!KindsCompatible(lt, tt)) return 0;
            switch (lt)
            {
                case BtfVoid or BtfComposite or BtfEnum or BtfForward: return 1;
                case BtfInt li: return li.BitOffset == 0 && ((BtfInt)tt).BitOffset == 0 ? 1 : 0;
                case BtfPointer lp: localId = lp.Type; targetId = ((BtfPointer)tt).Type; continue;
                case BtfArray la: localId = la.ElementType; targetId = ((BtfArray)tt).ElementType; continue;
                case BtfFuncProto lf:
                {
                    var tf = (BtfFuncProto)tt;
                    if (lf.Parameters.Count != tf.Parameters.Count) return 0;
                    for (int i = 0; i < lf.Parameters.Count; i++)
                    {
                        if (level <= 0) return -1;
                        Skip(local, lf.Parameters[i].Type, out uint lp);
                        Skip(target, tf.Parameters[i].Type, out uint tp);
                        int r = AreCompatible(local, lp, target, tp, level - 1);
                        if (r <= 0) return r;
                    }
                    Skip(local, lf.ReturnType, out localId);
                    Skip(target, tf.ReturnType, out targetId);
                    continue;
                }
                default: return 0;
            }
        }
    }

    /// <summary>bpf_core_fields_are_compat: whether a local field type can be relocated to a target field type.</summary>
    public static int FieldsCompatible(BtfSpec local, uint localId, BtfSpec target, uint targetId)
    {
        for (int depth = 0; depth < 32; depth++)
        {
            BtfType? lt = Skip(local, localId, out localId), tt = Skip(target, targetId, out targetId);
            if (lt is null || tt is null) return -1;
            if (lt is BtfComposite && tt is BtfComposite) return 1;
            if (!KindsCompatible(lt, tt)) return 0;
            switch (lt)
            {
                case BtfPointer or BtfFloat: return 1;
                case BtfForward or BtfEnum:
                {
                    int ll = EssentialLength(lt.Name), tl = EssentialLength(tt.Name);
                    return ll == 0 || tl == 0 || (ll == tl && string.CompareOrdinal(lt.Name, 0, tt.Name, 0, ll) == 0) ? 1 : 0;
                }
                case BtfInt li: return li.BitOffset == 0 && ((BtfInt)tt).BitOffset == 0 ? 1 : 0;
                case BtfArray la: localId = la.ElementType; targetId = ((BtfArray)tt).ElementType; continue;
                default: return 0;
            }
        }
        return -1;
    }

    private static bool NamesMatch(string local, string target) =>
        target.Length == 0 ? local.Length == 0 : EssentialNamesEqual(local, target);

    /// <summary>bpf_core_types_match (TYPE_MATCHES relocations).</summary>
    public static int Match(BtfSpec local, uint localId, BtfSpec target, uint targetId, bool behindPointer = false, int level = 32)
    {
        if (level <= 0) return -1;
        for (int depth = 32; ; )
        {
            if (--depth < 0) return -1;
            BtfType? lt = Skip(local, localId, out localId), tt = Skip(target, targetId, out targetId);
            if (lt is null || tt is null) return -1;
            if (!NamesMatch(lt.Name, tt.Name)) return 0;
            switch (lt)
            {
                case BtfVoid: return tt is BtfVoid ? 1 : 0;
                case BtfForward lf:
                    if (behindPointer)
                        return tt is BtfForward tf ? (lf.IsUnion == tf.IsUnion ? 1 : 0)
                            : (tt is BtfStruct && !lf.IsUnion) || (tt is BtfUnion && lf.IsUnion) ? 1 : 0;
                    return tt is BtfForward tf2 && tf2.IsUnion == lf.IsUnion ? 1 : 0;
                case BtfEnum le:
                {
                    if (tt is not BtfEnum te || le.Size != te.Size || le.Values.Count > te.Values.Count) return 0;
                    foreach (BtfEnumValue v in le.Values)
                        if (!te.Values.Any(t => NamesMatch(v.Name, t.Name))) return 0;
                    return 1;
                }
                case BtfComposite lc:
                    if (behindPointer)
                    {
                        if (lt.Kind == tt.Kind) return 1;
                        return tt is BtfForward tf ? ((lt is BtfUnion) == tf.IsUnion ? 1 : 0) : 0;
                    }
                    if (lt.Kind != tt.Kind) return 0;
                    var tc = (BtfComposite)tt;
                    if (lc.Members.Count > tc.Members.Count) return 0;
                    foreach (BtfMember m in lc.Members)
                    {
                        bool matched = false;
                        foreach (BtfMember t in tc.Members)
                        {
                            if (!NamesMatch(m.Name, t.Name)) continue;
                            int r = Match(local, m.Type, target, t.Type, behindPointer, level - 1);
                            if (r < 0) return r;
                            if (r > 0) { matched = true; break; }
                        }
                        if (!matched) return 0;
                    }
                    return 1;
                case BtfInt li:
                    return tt is BtfInt ti && li.Size == ti.Size && li.IsSigned == ti.IsSigned ? 1 : 0;
                case BtfPointer lp:
                    if (tt is not BtfPointer tp) return 0;
                    behindPointer = true;
                    localId = lp.Type;
                    targetId = tp.Type;
                    continue;
                case BtfArray la:
                    if (tt is not BtfArray ta || la.Length != ta.Length) return 0;
                    localId = la.ElementType;
                    targetId = ta.ElementType;
                    continue;
                case BtfFuncProto lf:
                {
                    if (tt is not BtfFuncProto tf || lf.Parameters.Count != tf.Parameters.Count) return 0;
                    for (int i = 0; i < lf.Parameters.Count; i++)
                    {
                        int r = Match(local, lf.Parameters[i].Type, target, tf.Parameters[i].Type, behindPointer, level - 1);
                        if (r <= 0) return r;
                    }
                    localId = lf.ReturnType;
                    targetId = tf.ReturnType;
                    continue;
                }
                default: return 0;
            }
        }
    }
}
