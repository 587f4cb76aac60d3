using System.Text;

namespace Ebpf.Btf;

/// <summary>Reads names from a spec's string sections, base first for split BTF.</summary>
internal static class BtfStrings
{
    /// <summary>The NUL-terminated string at <paramref name="offset"/> of the combined string section.</summary>
    public static string Read(BtfSpec spec, uint offset)
    {
        uint baseLength = spec.Base is null ? 0 : Length(spec.Base);
        if (offset < baseLength) return Read(spec.Base!, offset);
        int local = (int)(offset - baseLength);
        if (local >= spec.Strings.Length) throw new BtfFormatException($"string offset {offset} is past the end of the string section");
        int end = Array.IndexOf(spec.Strings, (byte)0, local);
        if (end < 0) throw new BtfFormatException($"string at offset {offset} is not NUL-terminated");
        return Encoding.UTF8.GetString(spec.Strings, local, end - local);
    }

    /// <summary>Length of the combined string section of <paramref name="spec"/> and its bases.</summary>
    public static uint Length(BtfSpec spec) => (uint)spec.Strings.Length + (spec.Base is null ? 0 : Length(spec.Base));
}
