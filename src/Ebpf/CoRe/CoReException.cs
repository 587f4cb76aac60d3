using Ebpf.Btf;

namespace Ebpf.CoRe;

/// <summary>
/// A CO-RE relocation cannot be applied and cannot be poisoned (libbpf fails the load the same way): names the
/// program, the instruction, the local type and the access path, and says why.
/// </summary>
public sealed class CoReException : ObjectFormatException
{
    /// <summary>Creates the exception.</summary>
    public CoReException(string message, string? section, long? offset, string typeName, string accessPath, CoReRelocationKind kind)
        : base($"{message} (CO-RE {kind} of '{typeName}' access {accessPath})", section, offset, "core_relo")
    {
        TypeName = typeName;
        AccessPath = accessPath;
        Kind = kind;
    }

    /// <summary>The local type the relocation starts from.</summary>
    public string TypeName { get; }

    /// <summary>The access path, e.g. <c>0:1:2</c>, with field names where known.</summary>
    public string AccessPath { get; }

    /// <summary>The relocation kind.</summary>
    public CoReRelocationKind Kind { get; }
}
