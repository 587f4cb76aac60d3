namespace Ebpf.Btf;

/// <summary>Encoding bits of a BTF integer.</summary>
[Flags]
public enum BtfIntEncoding : byte
{
    /// <summary>Unsigned, not a char or bool.</summary>
    None = 0,
    /// <summary>BTF_INT_SIGNED.</summary>
    Signed = 1,
    /// <summary>BTF_INT_CHAR.</summary>
    Char = 2,
    /// <summary>BTF_INT_BOOL.</summary>
    Bool = 4,
}

/// <summary>BTF_KIND_INT.</summary>
public sealed class BtfInt(string name, uint size, BtfIntEncoding encoding, byte bitOffset, byte bits) : BtfType(name)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Int;
    /// <summary>Size in bytes.</summary>
    public uint Size { get; } = size;
    /// <summary>Signedness, char, bool.</summary>
    public BtfIntEncoding Encoding { get; } = encoding;
    /// <summary>Bit offset within the storage (0 in practice).</summary>
    public byte BitOffset { get; } = bitOffset;
    /// <summary>Number of value bits.</summary>
    public byte Bits { get; } = bits;
    /// <summary>Whether the integer is signed.</summary>
    public bool IsSigned => (Encoding & BtfIntEncoding.Signed) != 0;
}

/// <summary>BTF_KIND_PTR.</summary>
public sealed class BtfPointer(uint type) : BtfReferenceType("", type)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Pointer;
}

/// <summary>BTF_KIND_ARRAY.</summary>
public sealed class BtfArray(uint elementType, uint indexType, uint length) : BtfType("")
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Array;
    /// <summary>Element type id.</summary>
    public uint ElementType { get; } = elementType;
    /// <summary>Index type id.</summary>
    public uint IndexType { get; } = indexType;
    /// <summary>Number of elements.</summary>
    public uint Length { get; } = length;
}

/// <summary>BTF_KIND_STRUCT.</summary>
public sealed class BtfStruct(string name, uint size, IReadOnlyList<BtfMember> members) : BtfComposite(name, size, members)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Struct;
}

/// <summary>BTF_KIND_UNION.</summary>
public sealed class BtfUnion(string name, uint size, IReadOnlyList<BtfMember> members) : BtfComposite(name, size, members)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Union;
}

/// <summary>BTF_KIND_ENUM or BTF_KIND_ENUM64.</summary>
public sealed class BtfEnum(string name, uint size, bool signed, bool is64, IReadOnlyList<BtfEnumValue> values) : BtfType(name)
{
    /// <inheritdoc />
    public override BtfKind Kind => Is64 ? BtfKind.Enum64 : BtfKind.Enum;
    /// <summary>Size in bytes.</summary>
    public uint Size { get; } = size;
    /// <summary>Whether the values are signed (kind_flag).</summary>
    public bool IsSigned { get; } = signed;
    /// <summary>Whether this is an ENUM64.</summary>
    public bool Is64 { get; } = is64;
    /// <summary>The enumerators.</summary>
    public IReadOnlyList<BtfEnumValue> Values { get; } = values;
}

/// <summary>BTF_KIND_FWD.</summary>
public sealed class BtfForward(string name, bool isUnion) : BtfType(name)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Forward;
    /// <summary>Whether the declaration is <c>union X;</c> rather than <c>struct X;</c>.</summary>
    public bool IsUnion { get; } = isUnion;
}

/// <summary>BTF_KIND_TYPEDEF.</summary>
public sealed class BtfTypedef(string name, uint type) : BtfReferenceType(name, type)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Typedef;
}

/// <summary>BTF_KIND_VOLATILE.</summary>
public sealed class BtfVolatile(uint type) : BtfReferenceType("", type)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Volatile;
}

/// <summary>BTF_KIND_CONST.</summary>
public sealed class BtfConst(uint type) : BtfReferenceType("", type)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Const;
}

/// <summary>BTF_KIND_RESTRICT.</summary>
public sealed class BtfRestrict(uint type) : BtfReferenceType("", type)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Restrict;
}

/// <summary>Linkage of a function or variable.</summary>
public enum BtfLinkage : uint
{
    /// <summary>Static.</summary>
    Static = 0,
    /// <summary>Global (allocated).</summary>
    Global = 1,
    /// <summary>Extern.</summary>
    Extern = 2,
}

/// <summary>BTF_KIND_FUNC: a function; <see cref="BtfReferenceType.Type"/> is its prototype.</summary>
public sealed class BtfFunc(string name, uint proto, BtfLinkage linkage) : BtfReferenceType(name, proto)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Func;
    /// <summary>Static, global or extern.</summary>
    public BtfLinkage Linkage { get; } = linkage;
}

/// <summary>BTF_KIND_FUNC_PROTO.</summary>
public sealed class BtfFuncProto(uint returnType, IReadOnlyList<BtfParameter> parameters) : BtfType("")
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.FuncProto;
    /// <summary>Return type id.</summary>
    public uint ReturnType { get; } = returnType;
    /// <summary>Parameters; a last one with type 0 and no name means variadic.</summary>
    public IReadOnlyList<BtfParameter> Parameters { get; } = parameters;
}

/// <summary>BTF_KIND_VAR.</summary>
public sealed class BtfVar(string name, uint type, BtfLinkage linkage) : BtfReferenceType(name, type)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Var;
    /// <summary>Static, global or extern.</summary>
    public BtfLinkage Linkage { get; } = linkage;
}

/// <summary>BTF_KIND_DATASEC.</summary>
public sealed class BtfDataSec(string name, uint size, IReadOnlyList<BtfVarSecInfo> variables) : BtfType(name)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.DataSec;
    /// <summary>Section size in bytes (0 in objects before libbpf fixes it up).</summary>
    public uint Size { get; } = size;
    /// <summary>The variables of the section.</summary>
    public IReadOnlyList<BtfVarSecInfo> Variables { get; } = variables;
}

/// <summary>BTF_KIND_FLOAT.</summary>
public sealed class BtfFloat(string name, uint size) : BtfType(name)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.Float;
    /// <summary>Size in bytes.</summary>
    public uint Size { get; } = size;
}

/// <summary>BTF_KIND_DECL_TAG.</summary>
public sealed class BtfDeclTag(string name, uint type, int componentIndex) : BtfReferenceType(name, type)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.DeclTag;
    /// <summary>-1 for the declaration itself, else the member or parameter index.</summary>
    public int ComponentIndex { get; } = componentIndex;
}

/// <summary>BTF_KIND_TYPE_TAG.</summary>
public sealed class BtfTypeTag(string name, uint type) : BtfReferenceType(name, type)
{
    /// <inheritdoc />
    public override BtfKind Kind => BtfKind.TypeTag;
}

/// <summary>A struct or union member.</summary>
/// <param name="Name">Member name; empty for anonymous members.</param>
/// <param name="Type">Member type id.</param>
/// <param name="BitOffset">Offset from the start of the composite, in bits.</param>
/// <param name="BitfieldSize">Bitfield width in bits; 0 when not a bitfield.</param>
public readonly record struct BtfMember(string Name, uint Type, uint BitOffset, uint BitfieldSize);

/// <summary>An enumerator.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Value">Its value as 64 bits (sign-extended for signed 32-bit enums).</param>
public readonly record struct BtfEnumValue(string Name, long Value);

/// <summary>A function prototype parameter.</summary>
/// <param name="Name">Parameter name (may be empty).</param>
/// <param name="Type">Parameter type id (0 for the variadic marker).</param>
public readonly record struct BtfParameter(string Name, uint Type);

/// <summary>A variable of a data section.</summary>
/// <param name="Type">Id of the VAR (or FUNC for .ksyms) type.</param>
/// <param name="Offset">Offset in the section.</param>
/// <param name="Size">Size in bytes.</param>
public readonly record struct BtfVarSecInfo(uint Type, uint Offset, uint Size);
