namespace Ebpf.Vm.Pcap;

/// <summary>A capture file that is not valid pcap or pcapng: says where (byte offset) and what (block, field).</summary>
public class PcapFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public PcapFormatException(string message, long offset) : base($"{message} (at byte {offset})") => Offset = offset;

    /// <summary>Creates the exception.</summary>
    public PcapFormatException() : this("not a capture file", 0) { }

    /// <summary>Creates the exception.</summary>
    public PcapFormatException(string message) : this(message, 0) { }

    /// <summary>Creates the exception.</summary>
    public PcapFormatException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The byte offset in the file where the problem is.</summary>
    public long Offset { get; }
}
