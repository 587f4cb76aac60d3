namespace Ebpf.Btf;

/// <summary>
/// A BTF type. Types refer to each other by id (0 is <c>void</c>); resolve ids with <see cref="BtfSpec"/>.
/// Instances are immutable data.
/// </summary>
public abstract class BtfType
{
    private protected BtfType(string name) => Name = name;

    /// <summary>The type's name; empty for anonymous types.</summary>
    public string Name { get; }

    /// <summary>The kind.</summary>
    public abstract BtfKind Kind { get; }

    /// <summary>Whether the type has no name.</summary>
    public bool IsAnonymous => Name.Length == 0;

    /// <inheritdoc />
    public override string ToString() => $"{Kind} '{(IsAnonymous ? "(anon)" : Name)}'";
}

/// <summary><c>void</c>: type id 0.</summary>
public sealed class BtfVoid : BtfType
{
    /// <summary>The single instance.</summary>
    public static BtfVoid Instance { get; } = new();

    private BtfVoid() : base("") { }

    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Void;
}

/// <summary>A type that refers to exactly one other type: pointer, typedef, qualifiers, type tag, func, var.</summary>
public abstract class BtfReferenceType : BtfType
{
    private protected BtfReferenceType(string name, uint type) : base(name) => Type = type;

    /// <summary>The id of the referenced type.</summary>
    public uint Type { get; }
}

/// <summary>A struct or union.</summary>
public abstract class BtfComposite : BtfType
{
    private protected BtfComposite(string name, uint size, IReadOnlyList<BtfMember> members) : base(name)
    {
        Size = size;
        Members = members;
    }

    /// <summary>Size in bytes.</summary>
    public uint Size { get; }

    /// <summary>The members in declaration order.</summary>
    public IReadOnlyList<BtfMember> Members { get; }
}
