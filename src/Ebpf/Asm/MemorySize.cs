namespace Ebpf.Asm;

/// <summary>Access width: bits 3-4 of a load or store opcode.</summary>
public enum MemorySize : byte
{
    /// <summary>BPF_W: 4 bytes.</summary>
    Word = 0x00,
    /// <summary>BPF_H: 2 bytes.</summary>
    Half = 0x08,
    /// <summary>BPF_B: 1 byte.</summary>
    Byte = 0x10,
    /// <summary>BPF_DW: 8 bytes.</summary>
    DoubleWord = 0x18,
}

/// <summary>Helpers for <see cref="MemorySize"/>.</summary>
public static class MemorySizeExtensions
{
    /// <summary>The number of bytes the size accesses.</summary>
    public static int Bytes(this MemorySize size) => size switch
    {
        MemorySize.Byte => 1,
        MemorySize.Half => 2,
        MemorySize.Word => 4,
        _ => 8,
    };

    /// <summary>The size that accesses <paramref name="bytes"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 1, 2, 4 or 8.</exception>
    public static MemorySize FromBytes(int bytes) => bytes switch
    {
        1 => MemorySize.Byte,
        2 => MemorySize.Half,
        4 => MemorySize.Word,
        8 => MemorySize.DoubleWord,
        _ => throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "an access is 1, 2, 4 or 8 bytes"),
    };
}
