using System.Globalization;

namespace Ebpf.Cli.Arguments;

/// <summary>
/// Byte lists as bpftool takes them for keys and values: decimal, octal (leading 0) or hex (0x) numbers, one
/// per byte (<c>key 1 0 0 0</c>, <c>value 0x7f 0 0 1</c>), or with <c>hex</c> first, two-digit hex bytes
/// without prefix (<c>key hex 01 00 00 00</c>).
/// </summary>
internal static class ByteList
{
    /// <summary>
    /// Reads bytes from <paramref name="args"/> at <paramref name="index"/> until an argument that is not a byte
    /// (the next keyword) or the end; advances <paramref name="index"/>.
    /// </summary>
    /// <exception cref="FormatException">No bytes, or a byte out of range, naming the argument.</exception>
    public static byte[] Parse(IReadOnlyList<string> args, ref int index, string what)
    {
        bool hex = index < args.Count && args[index] == "hex";
        if (hex) index++;
        var bytes = new List<byte>();
        while (index < args.Count && TryParseByte(args[index], hex, out byte? b, out string? error))
        {
            if (error is not null) throw new FormatException($"{what} byte {bytes.Count + 1} '{args[index]}': {error}");
            bytes.Add(b!.Value);
            index++;
        }
        if (bytes.Count == 0) throw new FormatException($"expected {what} bytes, e.g. '{what} 1 0 0 0' or '{what} hex 01 00 00 00'");
        return bytes.ToArray();
    }

    /// <summary>Checks a parsed list against the size the map wants, in bpftool's words.</summary>
    /// <exception cref="FormatException">The sizes differ.</exception>
    public static void CheckSize(byte[] bytes, int expected, string what)
    {
        if (bytes.Length != expected)
            throw new FormatException($"{what} expected {expected} bytes got {bytes.Length}");
    }

    /// <summary>Formats bytes as bpftool prints them: two-digit hex separated by spaces.</summary>
    public static string Format(ReadOnlySpan<byte> bytes)
    {
        var parts = new string[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) parts[i] = bytes[i].ToString("x2", CultureInfo.InvariantCulture);
        return string.Join(' ', parts);
    }

    // Returns false for a token that is not a number at all (the next keyword); true with an error for a number
    // that is not a byte, so "key 256" is an error rather than the end of the list.
    private static bool TryParseByte(string token, bool hex, out byte? value, out string? error)
    {
        value = null;
        error = null;
        if (token.Length == 0) return false;
        ulong parsed;
        if (hex)
        {
            if (!token.All(char.IsAsciiHexDigit)) return false;
            if (!ulong.TryParse(token, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out parsed) || token.Length > 2)
            {
                error = "expected two hex digits";
                return true;
            }
        }
        else if (token.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!ulong.TryParse(token.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out parsed))
            {
                error = "expected hex digits after 0x";
                return true;
            }
        }
        else if (token.All(char.IsAsciiDigit))
        {
            bool octal = token.Length > 1 && token[0] == '0';
            try { parsed = octal ? Convert.ToUInt64(token, 8) : ulong.Parse(token, CultureInfo.InvariantCulture); }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                error = octal ? "expected octal digits after a leading 0" : "number too large";
                return true;
            }
        }
        else
        {
            return false;
        }
        if (parsed > byte.MaxValue)
        {
            error = "a byte is 0-255";
            return true;
        }
        value = (byte)parsed;
        return true;
    }
}
