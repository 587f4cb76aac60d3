
namespace Ebpf.Btf;

/// <summary>
/// Parsed BTF: the types of an object's <c>.BTF</c> section or of the kernel (<c>/sys/kernel/btf/vmlinux</c>),
/// addressed by type id. Split BTF (kernel modules) has a <see cref="Base"/> whose ids come first.
/// </summary>
public sealed partial class BtfSpec
{
    private readonly BtfType[] _types;           // own types; index 0 is id FirstTypeId
    private Dictionary<string, uint[]>? _byName;

    internal BtfSpec(BtfSpec? baseSpec, BtfType[] types, byte[] strings)
    {
        Base = baseSpec;
        _types = types;
        Strings = strings;
        FirstTypeId = baseSpec is null ? 1u : (uint)baseSpec.TypeCount;
    }

    /// <summary>
    /// A spec with <paramref name="types"/> (ids from 1) and the string section of <paramref name="strings"/>, so that
    /// string offsets held elsewhere (line info) stay valid: for editing an object's BTF before loading it.
    /// </summary>
    public static BtfSpec FromTypes(IReadOnlyList<BtfType> types, BtfSpec strings)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(strings);
        return new BtfSpec(null, [.. types], strings.Strings);
    }

    /// <summary>The base BTF of split BTF, or null.</summary>
    public BtfSpec? Base { get; }

    /// <summary>The id of the first type this spec defines (1, or the base's count for split BTF).</summary>
    public uint FirstTypeId { get; }

    /// <summary>Number of type ids, including <c>void</c> (id 0) and the base's types.</summary>
    public int TypeCount => (int)FirstTypeId + _types.Length;

    /// <summary>The types this spec defines, in id order starting at <see cref="FirstTypeId"/>.</summary>
    public IReadOnlyList<BtfType> OwnTypes => _types;

    /// <summary>The raw string section (this spec's own strings).</summary>
    internal byte[] Strings { get; }

    /// <summary>The type with id <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such id.</exception>
    public BtfType this[uint id]
    {
        get
        {
            if (id == 0) return BtfVoid.Instance;
            if (id >= FirstTypeId)
            {
                ulong index = id - FirstTypeId;
                if (index < (ulong)_types.Length) return _types[index];
                throw new KeyNotFoundException($"BTF has no type id {id} (highest is {TypeCount - 1})");
            }
            return Base![id];
        }
    }

    /// <summary>Whether <paramref name="id"/> names a type of this spec or its base.</summary>
    public bool Contains(uint id) => id < (uint)TypeCount;

    /// <summary>Ids of all types named <paramref name="name"/> (own and base), in id order.</summary>
    public IReadOnlyList<uint> FindByName(string name)
    {
        _byName ??= BuildNameIndex();
        IReadOnlyList<uint> own = _byName.TryGetValue(name, out uint[]? ids) ? ids : [];
        if (Base is null) return own;
        IReadOnlyList<uint> inBase = Base.FindByName(name);
        return inBase.Count == 0 ? own : [.. inBase, .. own];
    }

    /// <summary>Finds the first type named <paramref name="name"/> of kind <paramref name="kind"/>.</summary>
    public bool TryFind(string name, BtfKind kind, out uint id)
    {
        foreach (uint candidate in FindByName(name))
        {
            if (this[candidate].Kind == kind)
            {
                id = candidate;
                return true;
            }
        }
        id = 0;
        return false;
    }

    /// <summary>Finds the first type named <paramref name="name"/> of kind <paramref name="kind"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is none.</exception>
    public T Find<T>(string name, BtfKind kind) where T : BtfType =>
        TryFind(name, kind, out uint id) && this[id] is T t ? t : throw new KeyNotFoundException($"BTF has no {kind} named '{name}'");

    /// <summary>Follows typedefs, qualifiers and type tags to the underlying type id.</summary>
    public uint SkipModifiersAndTypedefs(uint id)
    {
        for (int depth = 0; depth < 64; depth++)
        {
            if (this[id] is not (BtfTypedef or BtfVolatile or BtfConst or BtfRestrict or BtfTypeTag)) return id;
            id = ((BtfReferenceType)this[id]).Type;
        }
        throw new BtfFormatException($"type {id}: more than 64 typedefs/qualifiers in a chain (a loop?)");
    }

    /// <summary>The size in bytes of a type (following typedefs, qualifiers and arrays).</summary>
    /// <exception cref="InvalidOperationException">The type has no size (void, function, forward declaration).</exception>
    public ulong SizeOf(uint id)
    {
        ulong multiplier = 1;
        for (int depth = 0; depth < 64; depth++)
        {
            switch (this[id])
            {
                case BtfInt t: return multiplier * t.Size;
                case BtfPointer: return multiplier * 8;
                case BtfComposite t: return multiplier * t.Size;
                case BtfEnum t: return multiplier * t.Size;
                case BtfFloat t: return multiplier * t.Size;
                case BtfDataSec t: return multiplier * t.Size;
                case BtfArray a:
                    multiplier *= a.Length;
                    id = a.ElementType;
                    break;
                case BtfTypedef or BtfVolatile or BtfConst or BtfRestrict or BtfTypeTag or BtfVar:
                    id = ((BtfReferenceType)this[id]).Type;
                    break;
                default:
                    throw new InvalidOperationException($"type {id} ({this[id]}) has no size");
            }
        }
        throw new BtfFormatException($"type {id}: type chain deeper than 64 (a loop?)");
    }

    private Dictionary<string, uint[]> BuildNameIndex()
    {
        var index = new Dictionary<string, List<uint>>(_types.Length, StringComparer.Ordinal);
        for (int i = 0; i < _types.Length; i++)
        {
            string name = _types[i].Name;
            if (name.Length == 0) continue;
            if (!index.TryGetValue(name, out List<uint>? list)) index[name] = list = new List<uint>(1);
            list.Add(FirstTypeId + (uint)i);
        }
        return index.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }
}
