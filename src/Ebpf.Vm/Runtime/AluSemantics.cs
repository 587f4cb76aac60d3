using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Ebpf.Vm.Runtime;

/// <summary>
/// The result of every ALU and JMP operation of RFC 9669, defined once. The interpreter calls these and the JIT
/// will emit calls to them (RyuJIT inlines them), so both engines cannot disagree on an edge case
/// (solana-labs/rbpf #124, uBPF #116 are such disagreements).
/// </summary>
/// <remarks>
/// 32-bit operations take the low 32 bits of their operands and zero-extend the result. Immediates are passed
/// already sign-extended to 64 bits (the 32-bit forms then use their low half).
/// </remarks>
internal static class AluSemantics
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    // ---- 64-bit ----

    [MethodImpl(Inline)] public static ulong Add64(ulong a, ulong b) => a + b;
    [MethodImpl(Inline)] public static ulong Sub64(ulong a, ulong b) => a - b;
    [MethodImpl(Inline)] public static ulong Mul64(ulong a, ulong b) => a * b;

    /// <summary>Unsigned division; division by zero gives 0 (RFC 9669 4.1).</summary>
    [MethodImpl(Inline)] public static ulong Div64(ulong a, ulong b) => b == 0 ? 0 : a / b;

    /// <summary>Signed division; by zero gives 0, and LLONG_MIN / -1 wraps to LLONG_MIN instead of trapping.</summary>
    [MethodImpl(Inline)]
    public static ulong SDiv64(ulong a, ulong b) =>
        b == 0 ? 0 : (long)b == -1 ? (ulong)(-(long)a) : (ulong)((long)a / (long)b);

    /// <summary>Unsigned modulo; modulo by zero leaves the dividend.</summary>
    [MethodImpl(Inline)] public static ulong Mod64(ulong a, ulong b) => b == 0 ? a : a % b;

    /// <summary>Signed modulo (sign of the dividend); by zero leaves the dividend, x % -1 is 0 (no trap on LLONG_MIN).</summary>
    [MethodImpl(Inline)]
    public static ulong SMod64(ulong a, ulong b) =>
        b == 0 ? a : (long)b == -1 ? 0 : (ulong)((long)a % (long)b);

    [MethodImpl(Inline)] public static ulong Or64(ulong a, ulong b) => a | b;
    [MethodImpl(Inline)] public static ulong And64(ulong a, ulong b) => a & b;
    [MethodImpl(Inline)] public static ulong Xor64(ulong a, ulong b) => a ^ b;

    /// <summary>Left shift; the count is masked to 6 bits.</summary>
    [MethodImpl(Inline)] public static ulong Lsh64(ulong a, ulong b) => a << (int)(b & 63);

    /// <summary>Logical right shift; the count is masked to 6 bits.</summary>
    [MethodImpl(Inline)] public static ulong Rsh64(ulong a, ulong b) => a >> (int)(b & 63);

    /// <summary>Arithmetic right shift; the count is masked to 6 bits.</summary>
    [MethodImpl(Inline)] public static ulong Arsh64(ulong a, ulong b) => (ulong)((long)a >> (int)(b & 63));

    [MethodImpl(Inline)] public static ulong Neg64(ulong a) => (ulong)-(long)a;

    /// <summary><c>movsx</c> (ALU64): sign-extends the low <paramref name="bits"/> (8, 16 or 32) of the source; 0 is a plain move.</summary>
    [MethodImpl(Inline)]
    public static ulong MovSx64(ulong a, int bits) => bits switch
    {
        8 => (ulong)(long)(sbyte)a,
        16 => (ulong)(long)(short)a,
        32 => (ulong)(long)(int)a,
        _ => a,
    };

    // ---- 32-bit: operate on the low halves, zero-extend the result ----

    [MethodImpl(Inline)] public static ulong Add32(ulong a, ulong b) => (uint)a + (uint)b;
    [MethodImpl(Inline)] public static ulong Sub32(ulong a, ulong b) => (uint)a - (uint)b;
    [MethodImpl(Inline)] public static ulong Mul32(ulong a, ulong b) => (uint)a * (uint)b;
    [MethodImpl(Inline)] public static ulong Div32(ulong a, ulong b) => (uint)b == 0 ? 0 : (uint)a / (uint)b;

    /// <summary>Signed 32-bit division; by zero gives 0, INT_MIN / -1 wraps to INT_MIN.</summary>
    [MethodImpl(Inline)]
    public static ulong SDiv32(ulong a, ulong b) =>
        (uint)b == 0 ? 0 : (int)b == -1 ? (uint)-(int)a : (uint)((int)a / (int)b);

    [MethodImpl(Inline)] public static ulong Mod32(ulong a, ulong b) => (uint)b == 0 ? (uint)a : (uint)a % (uint)b;

    /// <summary>Signed 32-bit modulo; by zero leaves the (truncated) dividend, x % -1 is 0.</summary>
    [MethodImpl(Inline)]
    public static ulong SMod32(ulong a, ulong b) =>
        (uint)b == 0 ? (uint)a : (int)b == -1 ? 0 : (uint)((int)a % (int)b);

    [MethodImpl(Inline)] public static ulong Or32(ulong a, ulong b) => (uint)a | (uint)b;
    [MethodImpl(Inline)] public static ulong And32(ulong a, ulong b) => (uint)a & (uint)b;
    [MethodImpl(Inline)] public static ulong Xor32(ulong a, ulong b) => (uint)a ^ (uint)b;
    [MethodImpl(Inline)] public static ulong Lsh32(ulong a, ulong b) => (uint)a << (int)(b & 31);
    [MethodImpl(Inline)] public static ulong Rsh32(ulong a, ulong b) => (uint)a >> (int)(b & 31);
    [MethodImpl(Inline)] public static ulong Arsh32(ulong a, ulong b) => (uint)((int)a >> (int)(b & 31));
    [MethodImpl(Inline)] public static ulong Neg32(ulong a) => (uint)-(int)a;
    [MethodImpl(Inline)] public static ulong Mov32(ulong a) => (uint)a;

    /// <summary><c>movsx</c> (ALU): sign-extends the low 8 or 16 bits to 32, then zero-extends; 0 is a plain move.</summary>
    [MethodImpl(Inline)]
    public static ulong MovSx32(ulong a, int bits) => bits switch
    {
        8 => (uint)(int)(sbyte)a,
        16 => (uint)(int)(short)a,
        _ => (uint)a,
    };

    // ---- byte order: eBPF programs run in host byte order ----

    /// <summary><c>le16/32/64</c>: convert to little endian, keeping the low <paramref name="bits"/> (truncating).</summary>
    [MethodImpl(Inline)]
    public static ulong ToLittleEndian(ulong a, int bits) => BitConverter.IsLittleEndian
        ? Truncate(a, bits)
        : ByteSwap(a, bits);

    /// <summary><c>be16/32/64</c>: convert to big endian, keeping the low <paramref name="bits"/>.</summary>
    [MethodImpl(Inline)]
    public static ulong ToBigEndian(ulong a, int bits) => BitConverter.IsLittleEndian
        ? ByteSwap(a, bits)
        : Truncate(a, bits);

    /// <summary><c>bswap16/32/64</c>: unconditional swap of the low <paramref name="bits"/>, zero-extended.</summary>
    [MethodImpl(Inline)]
    public static ulong ByteSwap(ulong a, int bits) => bits switch
    {
        16 => BinaryPrimitives.ReverseEndianness((ushort)a),
        32 => BinaryPrimitives.ReverseEndianness((uint)a),
        _ => BinaryPrimitives.ReverseEndianness(a),
    };

    [MethodImpl(Inline)]
    private static ulong Truncate(ulong a, int bits) => bits switch
    {
        16 => (ushort)a,
        32 => (uint)a,
        _ => a,
    };

    // ---- conditions: 64-bit compare full registers, 32-bit compare low halves ----

    [MethodImpl(Inline)] public static bool Jeq64(ulong a, ulong b) => a == b;
    [MethodImpl(Inline)] public static bool Jne64(ulong a, ulong b) => a != b;
    [MethodImpl(Inline)] public static bool Jgt64(ulong a, ulong b) => a > b;
    [MethodImpl(Inline)] public static bool Jge64(ulong a, ulong b) => a >= b;
    [MethodImpl(Inline)] public static bool Jlt64(ulong a, ulong b) => a < b;
    [MethodImpl(Inline)] public static bool Jle64(ulong a, ulong b) => a <= b;
    [MethodImpl(Inline)] public static bool Jset64(ulong a, ulong b) => (a & b) != 0;
    [MethodImpl(Inline)] public static bool Jsgt64(ulong a, ulong b) => (long)a > (long)b;
    [MethodImpl(Inline)] public static bool Jsge64(ulong a, ulong b) => (long)a >= (long)b;
    [MethodImpl(Inline)] public static bool Jslt64(ulong a, ulong b) => (long)a < (long)b;
    [MethodImpl(Inline)] public static bool Jsle64(ulong a, ulong b) => (long)a <= (long)b;

    [MethodImpl(Inline)] public static bool Jeq32(ulong a, ulong b) => (uint)a == (uint)b;
    [MethodImpl(Inline)] public static bool Jne32(ulong a, ulong b) => (uint)a != (uint)b;
    [MethodImpl(Inline)] public static bool Jgt32(ulong a, ulong b) => (uint)a > (uint)b;
    [MethodImpl(Inline)] public static bool Jge32(ulong a, ulong b) => (uint)a >= (uint)b;
    [MethodImpl(Inline)] public static bool Jlt32(ulong a, ulong b) => (uint)a < (uint)b;
    [MethodImpl(Inline)] public static bool Jle32(ulong a, ulong b) => (uint)a <= (uint)b;
    [MethodImpl(Inline)] public static bool Jset32(ulong a, ulong b) => ((uint)a & (uint)b) != 0;
    [MethodImpl(Inline)] public static bool Jsgt32(ulong a, ulong b) => (int)a > (int)b;
    [MethodImpl(Inline)] public static bool Jsge32(ulong a, ulong b) => (int)a >= (int)b;
    [MethodImpl(Inline)] public static bool Jslt32(ulong a, ulong b) => (int)a < (int)b;
    [MethodImpl(Inline)] public static bool Jsle32(ulong a, ulong b) => (int)a <= (int)b;
}
