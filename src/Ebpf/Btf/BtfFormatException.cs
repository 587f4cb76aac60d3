namespace Ebpf.Btf;

/// <summary>BTF or BTF.ext data that cannot be read: says where (byte offset, type id) and what is wrong.</summary>
/// <remarks>An <see cref="ObjectFormatException"/>, so readers of whole objects need to catch one type.</remarks>
public sealed class BtfFormatException : ObjectFormatException
{
    /// <summary>Creates the exception.</summary>
    public BtfFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public BtfFormatException(string message, Exception inner) : base(message, inner) { }
}
