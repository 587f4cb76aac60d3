namespace Ebpf.Btf;

/// <summary>BTF or BTF.ext data that cannot be read: says where (byte offset, type id) and what is wrong.</summary>
public sealed class BtfFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public BtfFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public BtfFormatException(string message, Exception inner) : base(message, inner) { }
}
