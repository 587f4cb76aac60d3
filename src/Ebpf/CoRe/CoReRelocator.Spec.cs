using System.Globalization;
using Ebpf.Btf;

namespace Ebpf.CoRe;

internal sealed partial class CoReRelocator
{
    // bpf_core_parse_spec: null when malformed.
    private CoReSpec? ParseSpec(BtfCoReRelocation relo)
    {
        string text = relo.AccessString;
        if (text.Length == 0 || text[0] == ':') return null;
        var spec = new CoReSpec(local, relo.TypeId, relo.Kind);
        if (IsTypeBased(relo.Kind)) return text == "0" ? spec : null;
        foreach (string part in text.Split(':'))
        {
            if (part.Length == 0) continue;
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int index)) return null;
            if (spec.Raw.Count == CoReSpec.MaxLength) return null;
            spec.Raw.Add(index);
        }
        if (spec.Raw.Count == 0) return null;
        BtfType? t = CoReTypes.Skip(local, relo.TypeId, out uint id);
        if (t is null) return null;
        int access = spec.Raw[0];
        if (IsEnumValueBased(relo.Kind))
        {
            if (t is not BtfEnum e || spec.Raw.Count > 1 || access < 0 || access >= e.Values.Count) return null;
            spec.Accessors.Add(new CoReAccessor(id, access, e.Values[access].Name));
            return spec;
        }
        if (!IsFieldBased(relo.Kind)) return null;
        spec.Accessors.Add(new CoReAccessor(id, access, null));
        long size = CoReTypes.ResolveSize(local, id);
        if (size < 0) return null;
        spec.BitOffset = access * size * 8;
        for (int i = 1; i < spec.Raw.Count; i++)
        {
            t = CoReTypes.Skip(local, id, out id);
            if (t is null) return null;
            access = spec.Raw[i];
            if (t is BtfComposite c)
            {
                if (access < 0 || access >= c.Members.Count) return null;
                BtfMember m = c.Members[access];
                spec.BitOffset += m.BitOffset;
                if (m.Name.Length > 0) spec.Accessors.Add(new CoReAccessor(id, access, m.Name));
                id = m.Type;
            }
            else if (t is BtfArray a)
            {
                if (CoReTypes.Skip(local, a.ElementType, out id) is null) return null;
                bool flex = IsFlexibleArray(local, spec.Accessors[^1], a);
                if (!flex && (access < 0 || (uint)access >= a.Length)) return null;
                spec.Accessors.Add(new CoReAccessor(id, access, null));
                size = CoReTypes.ResolveSize(local, id);
                if (size < 0) return null;
                spec.BitOffset += access * size * 8;
            }
            else return null;
        }
        return spec;
    }

    // is_flex_arr: a zero-length array that is the last member of the enclosing struct.
    private static bool IsFlexibleArray(BtfSpec btf, CoReAccessor enclosing, BtfArray array) =>
        enclosing.Name is not null && array.Length == 0 && CoReTypes.Get(btf, enclosing.TypeId) is BtfComposite c && enclosing.Index == c.Members.Count - 1;

    // bpf_core_spec_match: 1 when the candidate has the local access path, 0 when not, -1 on error.
    private int SpecMatch(CoReSpec localSpec, uint targetId, out CoReSpec result)
    {
        result = new CoReSpec(target, targetId, localSpec.Kind);
        if (IsTypeBased(localSpec.Kind))
            return localSpec.Kind == CoReRelocationKind.TypeMatches
                ? CoReTypes.Match(local, localSpec.RootTypeId, target, targetId)
                : CoReTypes.AreCompatible(local, localSpec.RootTypeId, target, targetId);
        if (IsEnumValueBased(localSpec.Kind))
        {
            if (CoReTypes.Skip(target, targetId, out targetId) is not BtfEnum e) return 0;
            string wanted = localSpec.Accessors[0].Name!;
            for (int i = 0; i < e.Values.Count; i++)
            {
                if (!CoReTypes.EssentialNamesEqual(wanted, e.Values[i].Name)) continue;
                result.Accessors.Add(new CoReAccessor(targetId, i, e.Values[i].Name));
                result.Raw.Add(i);
                return 1;
            }
            return 0;
        }
        if (!IsFieldBased(localSpec.Kind)) return -1;
        for (int i = 0; i < localSpec.Accessors.Count; i++)
        {
            CoReAccessor acc = localSpec.Accessors[i];
            BtfType? t = CoReTypes.Skip(target, targetId, out targetId);
            if (t is null) return -1;
            if (acc.Name is not null)
            {
                int matched = MatchMember(acc, targetId, result, out targetId);
                if (matched <= 0) return matched;
            }
            else
            {
                if (i > 0)
                {
                    if (t is not BtfArray a) return 0;
                    bool flex = IsFlexibleArray(target, result.Accessors[^1], a);
                    if (!flex && (acc.Index < 0 || (uint)acc.Index >= a.Length)) return 0;
                    if (CoReTypes.Skip(target, a.ElementType, out targetId) is null) return -1;
                }
                if (result.Raw.Count == CoReSpec.MaxLength) return -1;
                result.Accessors.Add(new CoReAccessor(targetId, acc.Index, null));
                result.Raw.Add(acc.Index);
                long size = CoReTypes.ResolveSize(target, targetId);
                if (size < 0) return -1;
                result.BitOffset += acc.Index * size * 8;
            }
        }
        return 1;
    }

    // bpf_core_match_member: finds the local member by name in the target composite, descending into anonymous
    // members; on success the accessor is pushed and nextId is the member's type.
    private int MatchMember(CoReAccessor localAccessor, uint targetId, CoReSpec spec, out uint nextId)
    {
        nextId = 0;
        BtfType? t = CoReTypes.Skip(target, targetId, out targetId);
        if (t is null) return -1;
        if (t is not BtfComposite composite) return 0;
        var localComposite = (BtfComposite)local[localAccessor.TypeId];
        BtfMember localMember = localComposite.Members[localAccessor.Index];
        for (int i = 0; i < composite.Members.Count; i++)
        {
            BtfMember m = composite.Members[i];
            if (spec.Raw.Count == CoReSpec.MaxLength) return -1;
            spec.BitOffset += m.BitOffset;
            spec.Raw.Add(i);
            if (m.Name.Length == 0)
            {
                int found = MatchMember(localAccessor, m.Type, spec, out nextId);
                if (found != 0) return found;
            }
            else if (m.Name == localMember.Name)
            {
                spec.Accessors.Add(new CoReAccessor(targetId, i, m.Name));
                nextId = m.Type;
                int found = CoReTypes.FieldsCompatible(local, localMember.Type, target, m.Type);
                if (found == 0) spec.Accessors.RemoveAt(spec.Accessors.Count - 1);
                return found;
            }
            spec.BitOffset -= m.BitOffset;
            spec.Raw.RemoveAt(spec.Raw.Count - 1);
        }
        return 0;
    }
}
