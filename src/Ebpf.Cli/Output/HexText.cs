using System.Globalization;
using System.Text;

namespace Ebpf.Cli.Output;

/// <summary>Hex text of instruction bytes, as people paste it and as tools print it.</summary>
internal static class HexText
{
    /// <summary>One instruction per line: 8 two-digit lowercase hex bytes separated by spaces.</summary>
    public static string Format(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 3 + bytes.Length / 8);
        for (int i = 0; i < bytes.Length; i++)
        {
            text.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
            text.Append(i % 8 == 7 || i == bytes.Length - 1 ? '\n' : ' ');
        }
        return text.ToString();
    }

    /// <summary>Whether <paramref name="data"/> looks like hex text rather than binary (only hex digits, 'x', separators and comments).</summary>
    public static bool LooksLikeHex(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return false;
        bool digits = false;
        foreach (byte b in data)
        {
            if (char.IsAsciiHexDigit((char)b)) digits = true;
            else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'x' or (byte)'X' or (byte)',')) return false;
        }
        return digits;
    }

    /// <summary>
    /// Parses whitespace- or comma-separated hex: two-digit bytes (<c>b7 00 00</c>, bpf_conformance's
    /// <c>b7  00  </c>), or 64-bit instruction words with a 0x prefix (<c>0x0000000000000095</c>, as in <c>-- raw</c>).
    /// </summary>
    /// <exception cref="FormatException">A token is neither; says which and where.</exception>
    public static byte[] Parse(string text)
    {
        var bytes = new List<byte>();
        string[] tokens = text.Split([' ', '\t', '\r', '\n', ','], StringSplitOptions.RemoveEmptyEntries);
        for (int t = 0; t < tokens.Length; t++)
        {
            string token = tokens[t];
            bool word = token.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            string digits = word ? token[2..] : token;
            if (word && digits.Length == 16 && ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
            {
                for (int i = 0; i < 8; i++) bytes.Add((byte)(value >> (8 * i)));
                continue;
            }
            if (digits.Length == 2 && byte.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
            {
                bytes.Add(b);
                continue;
            }
            throw new FormatException($"hex token {t + 1} '{token}' is neither a byte (2 hex digits) nor a 64-bit instruction word (0x + 16 hex digits)");
        }
        return bytes.ToArray();
    }
}
