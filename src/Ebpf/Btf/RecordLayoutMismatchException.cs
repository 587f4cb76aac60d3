namespace Ebpf.Btf;

/// <summary>A C# record type does not match the BTF struct it should mirror (size, a field's offset or size, a missing member).</summary>
public sealed class RecordLayoutMismatchException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/> (or "size" for the whole record).</summary>
    public RecordLayoutMismatchException(string structName, Type clrType, string field, long btfValue, long clrValue, string what)
        : base($"{clrType.Name} does not match BTF struct '{structName}': {field}: {what} is {btfValue} in BTF but {clrValue} in {clrType.Name}")
        => (StructName, ClrType, Field, BtfValue, ClrValue) = (structName, clrType, field, btfValue, clrValue);

    /// <summary>Creates the exception with a plain message (a member missing, a bitfield).</summary>
    public RecordLayoutMismatchException(string structName, Type clrType, string field, string message)
        : base($"{clrType.Name} does not match BTF struct '{structName}': {field}: {message}")
        => (StructName, ClrType, Field) = (structName, clrType, field);

    /// <summary>Creates an exception with a message.</summary>
    public RecordLayoutMismatchException(string message) : base(message) => (StructName, ClrType, Field) = ("", typeof(object), "");

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public RecordLayoutMismatchException(string message, Exception inner) : base(message, inner) => (StructName, ClrType, Field) = ("", typeof(object), "");

    /// <summary>Creates an exception without details.</summary>
    public RecordLayoutMismatchException() : this("record layout mismatch") { }

    /// <summary>The BTF struct's name.</summary>
    public string StructName { get; }

    /// <summary>The C# type.</summary>
    public Type ClrType { get; }

    /// <summary>The field that differs ("size" for the record's size).</summary>
    public string Field { get; }

    /// <summary>The offset (or size) in BTF, in bytes.</summary>
    public long BtfValue { get; }

    /// <summary>The offset (or size) of the C# field, in bytes.</summary>
    public long ClrValue { get; }
}
