namespace Ebpf.Asm;

/// <summary>
/// Bytes that are not a valid eBPF instruction stream: names the slot (instruction index), its byte offset
/// and what is wrong with it.
/// </summary>
public sealed class InstructionFormatException : FormatException
{
    /// <summary>Creates the exception for slot <paramref name="slot"/>.</summary>
    public InstructionFormatException(int slot, string reason)
        : base($"instruction {slot} (byte offset {slot * Instruction.Size}): {reason}")
    {
        Slot = slot;
        Reason = reason;
    }

    /// <summary>The index of the offending 8-byte slot.</summary>
    public int Slot { get; }

    /// <summary>The byte offset of the offending slot.</summary>
    public int ByteOffset => Slot * Instruction.Size;

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }
}
