namespace Ebpf.Asm;

/// <summary>The operation of a BPF_ATOMIC instruction, held in its immediate.</summary>
public enum AtomicOperation : int
{
    /// <summary>BPF_ADD: *(addr) += src.</summary>
    Add = 0x00,
    /// <summary>BPF_OR: *(addr) |= src.</summary>
    Or = 0x40,
    /// <summary>BPF_AND: *(addr) &amp;= src.</summary>
    And = 0x50,
    /// <summary>BPF_XOR: *(addr) ^= src.</summary>
    Xor = 0xa0,
    /// <summary>BPF_ADD | BPF_FETCH: src = fetch_add(addr, src).</summary>
    FetchAdd = 0x01,
    /// <summary>BPF_OR | BPF_FETCH.</summary>
    FetchOr = 0x41,
    /// <summary>BPF_AND | BPF_FETCH.</summary>
    FetchAnd = 0x51,
    /// <summary>BPF_XOR | BPF_FETCH.</summary>
    FetchXor = 0xa1,
    /// <summary>BPF_XCHG: src = xchg(addr, src).</summary>
    Exchange = 0xe1,
    /// <summary>BPF_CMPXCHG: r0 = cmpxchg(addr, r0, src).</summary>
    CompareExchange = 0xf1,
}

/// <summary>Helpers for <see cref="AtomicOperation"/>.</summary>
public static class AtomicOperationExtensions
{
    /// <summary>BPF_FETCH: the old value is written back to a register.</summary>
    public const int FetchFlag = 0x01;

    /// <summary>Whether the operation returns the old value.</summary>
    public static bool Fetches(this AtomicOperation op) => ((int)op & FetchFlag) != 0;

    /// <summary>Whether <paramref name="imm"/> is an atomic operation the ISA defines.</summary>
    public static bool IsDefined(int imm) => imm is 0x00 or 0x40 or 0x50 or 0xa0 or 0x01 or 0x41 or 0x51 or 0xa1 or 0xe1 or 0xf1;
}
