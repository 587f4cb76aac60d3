using Ebpf.Asm;
using Ebpf.Btf;

namespace Ebpf.CoRe;

/// <summary>
/// Applies CO-RE relocations (BTF.ext <c>core_relo</c> records) against a target kernel BTF, with libbpf's rules:
/// candidates by flavour-stripped name, access-path matching, consistency across candidates, poisoning of
/// unresolvable relocations (<c>call 0xbad2310</c>) and instruction patching (ALU immediates, memory offsets and
/// sizes, <c>lddw</c> immediates).
/// </summary>
internal sealed partial class CoReRelocator(BtfSpec local, BtfSpec target)
{
    /// <summary>The helper id a poisoned instruction calls: 0xbad2310, "bad relo".</summary>
    public const int PoisonHelper = 195896080;

    private readonly Dictionary<uint, List<uint>> _candidates = [];

    /// <summary>Computes and applies one relocation to <paramref name="code"/> at <paramref name="index"/>.</summary>
    /// <exception cref="CoReException">The relocation is malformed, ambiguous, or the instruction cannot take it.</exception>
    public void Apply(Instruction[] code, int index, BtfCoReRelocation relo, string section)
    {
        CoReResult result = Resolve(relo, section);
        Patch(code, index, relo, result, section);
    }

    private CoReException Error(string message, BtfCoReRelocation relo, string section)
    {
        BtfType? t = CoReTypes.Get(local, relo.TypeId);
        string name = t is null ? $"[{relo.TypeId}]" : (t.Name.Length == 0 ? $"[{relo.TypeId}] <anon {t.Kind}>" : t.Name);
        return new CoReException(message, section, relo.InstructionOffset, name, relo.AccessString, relo.Kind);
    }

    private static bool IsFieldBased(CoReRelocationKind k) => k <= CoReRelocationKind.FieldRShiftU64;

    private static bool IsTypeBased(CoReRelocationKind k) => k is CoReRelocationKind.TypeIdLocal or CoReRelocationKind.TypeIdTarget
        or CoReRelocationKind.TypeExists or CoReRelocationKind.TypeMatches or CoReRelocationKind.TypeSize;

    private static bool IsEnumValueBased(CoReRelocationKind k) => k is CoReRelocationKind.EnumValueExists or CoReRelocationKind.EnumValueValue;

    // bpf_core_calc_relo_insn.
    private CoReResult Resolve(BtfCoReRelocation relo, string section)
    {
        BtfType localType = CoReTypes.Get(local, relo.TypeId) ?? throw Error("the local type id does not exist", relo, section);
        CoReSpec localSpec = ParseSpec(relo) ?? throw Error("the access string cannot be parsed against the local type", relo, section);
        if (relo.Kind == CoReRelocationKind.TypeIdLocal)
            return new CoReResult { OriginalValue = localSpec.RootTypeId, NewValue = localSpec.RootTypeId, Validate = false };
        if (localType.Name.Length == 0) throw Error("CO-RE relocations against anonymous types are not supported", relo, section);

        List<uint> candidates = Candidates(relo.TypeId, localType);
        var kept = new List<uint>();
        CoReResult chosen = default;
        CoReSpec? chosenSpec = null;
        foreach (uint candidate in candidates)
        {
            int matched = SpecMatch(localSpec, candidate, out CoReSpec candidateSpec);
            if (matched < 0) throw Error($"error matching candidate [{candidate}] {CoReTypes.Get(target, candidate)}", relo, section);
            if (matched == 0) continue;
            CoReResult r = Calculate(relo, localSpec, candidateSpec, section);
            if (chosenSpec is null)
            {
                chosen = r;
                chosenSpec = candidateSpec;
            }
            else if (candidateSpec.BitOffset != chosenSpec.BitOffset)
                throw Error($"field offset ambiguity between candidates: {candidateSpec.BitOffset} != {chosenSpec.BitOffset} bits", relo, section);
            else if (r.Poison != chosen.Poison || r.NewValue != chosen.NewValue)
                throw Error($"relocation decision ambiguity between candidates: {r.NewValue} != {chosen.NewValue}", relo, section);
            kept.Add(candidate);
        }
        // libbpf narrows the cached candidate list to the ones that matched (when any did).
        if (kept.Count > 0)
        {
            candidates.Clear();
            candidates.AddRange(kept);
            return chosen;
        }
        return Calculate(relo, localSpec, null, section);
    }

    // bpf_core_find_cands / bpf_core_add_cands: target types of a compatible kind with the same essential name.
    private List<uint> Candidates(uint localId, BtfType localType)
    {
        if (_candidates.TryGetValue(localId, out List<uint>? known)) return known;
        var list = new List<uint>();
        int essential = CoReTypes.EssentialLength(localType.Name);
        foreach (uint id in CandidateIds(localType.Name[..essential]))
        {
            BtfType t = target[id];
            if (!CoReTypes.KindsCompatible(t, localType) || t.Name.Length == 0) continue;
            if (CoReTypes.EssentialLength(t.Name) != essential || string.CompareOrdinal(localType.Name, 0, t.Name, 0, essential) != 0) continue;
            list.Add(id);
        }
        _candidates[localId] = list;
        return list;
    }

    // All target ids whose name starts with the essential name, in id order (exact names and flavours).
    private IEnumerable<uint> CandidateIds(string essential)
    {
        _byPrefix ??= BuildPrefixIndex();
        return _byPrefix.TryGetValue(essential, out List<uint>? ids) ? ids : [];
    }

    private Dictionary<string, List<uint>>? _byPrefix;

    private Dictionary<string, List<uint>> BuildPrefixIndex()
    {
        var index = new Dictionary<string, List<uint>>(StringComparer.Ordinal);
        for (uint id = 1; id < (uint)target.TypeCount; id++)
        {
            string name = target[id].Name;
            if (name.Length == 0) continue;
            string key = name[..CoReTypes.EssentialLength(name)];
            if (!index.TryGetValue(key, out List<uint>? list)) index[key] = list = [];
            list.Add(id);
        }
        return index;
    }
}
