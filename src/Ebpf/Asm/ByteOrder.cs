namespace Ebpf.Asm;

/// <summary>The target order of a byte-swap instruction.</summary>
public enum ByteOrder : byte
{
    /// <summary><c>le16/le32/le64</c>: to little-endian (BPF_ALU | BPF_END | BPF_TO_LE).</summary>
    LittleEndian,
    /// <summary><c>be16/be32/be64</c>: to big-endian (BPF_ALU | BPF_END | BPF_TO_BE).</summary>
    BigEndian,
    /// <summary><c>bswap16/32/64</c>: unconditional swap (BPF_ALU64 | BPF_END), v4.</summary>
    Swap,
}
