using System.Globalization;

namespace Ebpf.Asm;

/// <summary>Number parsing shared by the assembler parts: decimal or 0x hex, optionally signed.</summary>
internal static class AsmNumbers
{
    public static bool TryParse(string text, out long value)
    {
        value = 0;
        ReadOnlySpan<char> s = text;
        bool negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        ulong magnitude;
        if (s.Length > 2 && s[0] == '0' && s[1] is 'x' or 'X')
        {
            if (!ulong.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude)) return false;
        }
        else if (s.Length == 0 || !ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude))
        {
            return false;
        }
        if (negative)
        {
            if (magnitude > 1UL << 63) return false;
            value = (long)(0 - magnitude);
        }
        else
        {
            // Values up to 2^64-1 are allowed (lddw); they wrap into the long's bits.
            value = unchecked((long)magnitude);
        }
        return true;
    }

    /// <summary>Parses an unsigned 64-bit value given as a positive number beyond long.MaxValue.</summary>
    public static bool IsBeyondSigned(string text) =>
        text.Length > 0 && text[0] != '-' && TryParse(text, out long v) && v < 0;
}
