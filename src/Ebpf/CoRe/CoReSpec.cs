using Ebpf.Btf;

namespace Ebpf.CoRe;

/// <summary>One step of a CO-RE access path: a member (named) or an array index (unnamed) of a type.</summary>
/// <param name="TypeId">The composite, array element or enum type the step applies to.</param>
/// <param name="Index">Member index, array index or enumerator index.</param>
/// <param name="Name">Member or enumerator name; null for array indexing.</param>
internal readonly record struct CoReAccessor(uint TypeId, int Index, string? Name);

/// <summary>
/// A resolved access path in one BTF (libbpf's <c>struct bpf_core_spec</c>): the named accessors, the raw indices
/// and the accumulated bit offset.
/// </summary>
internal sealed class CoReSpec(BtfSpec btf, uint rootTypeId, CoReRelocationKind kind)
{
    public const int MaxLength = 64; // BPF_CORE_SPEC_MAX_LEN

    public BtfSpec Btf { get; } = btf;
    public uint RootTypeId { get; } = rootTypeId;
    public CoReRelocationKind Kind { get; } = kind;
    public List<CoReAccessor> Accessors { get; } = [];
    public List<int> Raw { get; } = [];
    public long BitOffset { get; set; }

    public CoReSpec Clone()
    {
        var copy = new CoReSpec(Btf, RootTypeId, Kind) { BitOffset = BitOffset };
        copy.Accessors.AddRange(Accessors);
        copy.Raw.AddRange(Raw);
        return copy;
    }
}
