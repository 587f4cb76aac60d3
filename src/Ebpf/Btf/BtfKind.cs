namespace Ebpf.Btf;

/// <summary>The kind of a BTF type (BTF_KIND_*), bits 24-28 of its info word.</summary>
public enum BtfKind : byte
{
    /// <summary>BTF_KIND_UNKN: type id 0, <c>void</c>.</summary>
    Void = 0,
    /// <summary>BTF_KIND_INT: an integer with size, bit offset, bit count and encoding.</summary>
    Int = 1,
    /// <summary>BTF_KIND_PTR.</summary>
    Pointer = 2,
    /// <summary>BTF_KIND_ARRAY.</summary>
    Array = 3,
    /// <summary>BTF_KIND_STRUCT.</summary>
    Struct = 4,
    /// <summary>BTF_KIND_UNION.</summary>
    Union = 5,
    /// <summary>BTF_KIND_ENUM: 32-bit enumerators.</summary>
    Enum = 6,
    /// <summary>BTF_KIND_FWD: forward declaration of a struct or union.</summary>
    Forward = 7,
    /// <summary>BTF_KIND_TYPEDEF.</summary>
    Typedef = 8,
    /// <summary>BTF_KIND_VOLATILE.</summary>
    Volatile = 9,
    /// <summary>BTF_KIND_CONST.</summary>
    Const = 10,
    /// <summary>BTF_KIND_RESTRICT.</summary>
    Restrict = 11,
    /// <summary>BTF_KIND_FUNC: a function, pointing at its prototype.</summary>
    Func = 12,
    /// <summary>BTF_KIND_FUNC_PROTO: return type and parameters.</summary>
    FuncProto = 13,
    /// <summary>BTF_KIND_VAR: a global variable.</summary>
    Var = 14,
    /// <summary>BTF_KIND_DATASEC: a data section (.data, .bss, .maps, ...) and the variables in it.</summary>
    DataSec = 15,
    /// <summary>BTF_KIND_FLOAT.</summary>
    Float = 16,
    /// <summary>BTF_KIND_DECL_TAG: a tag on a declaration or one of its members/parameters.</summary>
    DeclTag = 17,
    /// <summary>BTF_KIND_TYPE_TAG: a tag on a pointee type.</summary>
    TypeTag = 18,
    /// <summary>BTF_KIND_ENUM64: 64-bit enumerators.</summary>
    Enum64 = 19,
}
