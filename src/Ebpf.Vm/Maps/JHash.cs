using System.Buffers.Binary;
using System.Numerics;

namespace Ebpf.Vm.Maps;

/// <summary>
/// Bob Jenkins' lookup3 hash as the kernel's <c>linux/jhash.h</c> computes it: what hash maps and bloom filters
/// bucket by. With the kernel's seed 0 (<c>BPF_F_ZERO_SEED</c>) the VM's bucket order, and so its iteration order,
/// is the kernel's.
/// </summary>
internal static class JHash
{
    private const uint InitialValue = 0xdeadbeef;

    /// <summary>jhash2: whole 32-bit words (key sizes divisible by 4).</summary>
    public static uint Words(ReadOnlySpan<byte> key, uint seed)
    {
        int words = key.Length / 4;
        uint a, b, c;
        a = b = c = InitialValue + ((uint)words << 2) + seed;
        int at = 0;
        while (words > 3)
        {
            a += Word(key, at); b += Word(key, at + 4); c += Word(key, at + 8);
            Mix(ref a, ref b, ref c);
            words -= 3;
            at += 12;
        }
        switch (words)
        {
            case 3: c += Word(key, at + 8); goto case 2;
            case 2: b += Word(key, at + 4); goto case 1;
            case 1: a += Word(key, at); Final(ref a, ref b, ref c); break;
        }
        return c;
    }

    /// <summary>jhash: any byte length.</summary>
    public static uint Bytes(ReadOnlySpan<byte> key, uint seed)
    {
        uint length = (uint)key.Length;
        uint a, b, c;
        a = b = c = InitialValue + length + seed;
        int at = 0;
        while (length > 12)
        {
            a += Word(key, at); b += Word(key, at + 4); c += Word(key, at + 8);
            Mix(ref a, ref b, ref c);
            length -= 12;
            at += 12;
        }
        ReadOnlySpan<byte> k = key[at..];
        switch (length)
        {
            case 12: c += (uint)k[11] << 24; goto case 11;
            case 11: c += (uint)k[10] << 16; goto case 10;
            case 10: c += (uint)k[9] << 8; goto case 9;
            case 9: c += k[8]; goto case 8;
            case 8: b += (uint)k[7] << 24; goto case 7;
            case 7: b += (uint)k[6] << 16; goto case 6;
            case 6: b += (uint)k[5] << 8; goto case 5;
            case 5: b += k[4]; goto case 4;
            case 4: a += (uint)k[3] << 24; goto case 3;
            case 3: a += (uint)k[2] << 16; goto case 2;
            case 2: a += (uint)k[1] << 8; goto case 1;
            case 1: a += k[0]; Final(ref a, ref b, ref c); break;
        }
        return c;
    }

    /// <summary>What <c>htab_map_hash</c> uses: jhash2 for word-sized keys, jhash otherwise.</summary>
    public static uint Key(ReadOnlySpan<byte> key, uint seed) => key.Length % 4 == 0 ? Words(key, seed) : Bytes(key, seed);

    private static uint Word(ReadOnlySpan<byte> k, int at) => BinaryPrimitives.ReadUInt32LittleEndian(k[at..]);

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
        a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
    }

    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= BitOperations.RotateLeft(b, 14);
        a ^= c; a -= BitOperations.RotateLeft(c, 11);
        b ^= a; b -= BitOperations.RotateLeft(a, 25);
        c ^= b; c -= BitOperations.RotateLeft(b, 16);
        a ^= c; a -= BitOperations.RotateLeft(c, 4);
        b ^= a; b -= BitOperations.RotateLeft(a, 14);
        c ^= b; c -= BitOperations.RotateLeft(b, 24);
    }
}
