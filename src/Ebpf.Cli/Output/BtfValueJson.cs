using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Ebpf.Btf;

namespace Ebpf.Cli.Output;

/// <summary>
/// Map keys and values rendered through their BTF types, as bpftool's "formatted" field does: integers as numbers
/// (bitfields as the hex of their bits), <c>bool</c> as true/false, char arrays holding a string as that string, structs and unions
/// as objects, arrays as arrays, enums by enumerator name, sections (<c>.data</c>, <c>.bss</c>) by variable.
/// </summary>
internal static class BtfValueJson
{
    /// <summary>Writes the value of type <paramref name="typeId"/> stored in <paramref name="data"/>.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="btf">The types.</param>
    /// <param name="typeId">The value's type.</param>
    /// <param name="data">The value's bytes.</param>
    /// <param name="bareHex">Bitfields as bare <c>0x5</c> (bpftool's plain text, not valid JSON) instead of <c>"0x5"</c> (its JSON).</param>
    public static void Write(Utf8JsonWriter w, BtfSpec btf, uint typeId, ReadOnlySpan<byte> data, bool bareHex = false) =>
        new Context(btf, bareHex).WriteAt(w, typeId, data, 0, 0);

    private readonly record struct Context(BtfSpec Btf, bool BareHex)
    {
        /// <summary>Writes the value of <paramref name="typeId"/> at <paramref name="bitOffset"/> (a bitfield when <paramref name="bitfieldSize"/> is set).</summary>
        public void WriteAt(Utf8JsonWriter w, uint typeId, ReadOnlySpan<byte> data, uint bitOffset, uint bitfieldSize)
        {
            BtfSpec btf = Btf;
            BtfType type = btf[typeId];
            switch (type)
            {
                case BtfInt i when bitfieldSize != 0 || i.BitOffset != 0 || i.Bits != i.Size * 8:
                    // bpftool prints bitfields as the hex of their raw bits (no sign extension).
                    ulong bits = ReadBits(data, bitOffset + i.BitOffset, bitfieldSize != 0 ? bitfieldSize : i.Bits);
                    string hex = "0x" + bits.ToString("x", CultureInfo.InvariantCulture);
                    if (BareHex) w.WriteRawValue(hex, skipInputValidation: true);
                    else w.WriteStringValue(hex);
                    break;
                case BtfInt i:
                    WriteInt(w, i, data, bitOffset, i.Bits);
                    break;
                case BtfEnum e:
                    WriteEnum(w, e, data, bitOffset, bitfieldSize);
                    break;
                case BtfPointer:
                    w.WriteNumberValue(ReadBits(data, bitOffset, 64));
                    break;
                case BtfComposite c:
                    w.WriteStartObject();
                    foreach (BtfMember m in c.Members)
                    {
                        w.WritePropertyName(m.Name);
                        WriteAt(w, m.Type, data, bitOffset + m.BitOffset, m.BitfieldSize);
                    }
                    w.WriteEndObject();
                    break;
                case BtfArray a:
                    WriteArray(w, btf, a, data, bitOffset);
                    break;
                case BtfVar v:
                    w.WriteStartObject();
                    w.WritePropertyName(v.Name);
                    WriteAt(w, v.Type, data, bitOffset, 0);
                    w.WriteEndObject();
                    break;
                case BtfDataSec d:
                    w.WriteStartObject();
                    w.WriteStartArray(d.Name);
                    foreach (BtfVarSecInfo v in d.Variables)
                        WriteAt(w, v.Type, data, bitOffset + v.Offset * 8, 0);
                    w.WriteEndArray();
                    w.WriteEndObject();
                    break;
                case BtfReferenceType r:       // typedef, const, volatile, restrict, type tag
                    WriteAt(w, r.Type, data, bitOffset, bitfieldSize);
                    break;
                case BtfFloat f when f.Size is 4 or 8:
                    int at = (int)(bitOffset / 8);
                    double value = f.Size == 4 ? BinaryPrimitives.ReadSingleLittleEndian(data[at..]) : BinaryPrimitives.ReadDoubleLittleEndian(data[at..]);
                    w.WriteNumberValue(value);
                    break;
                default:
                    w.WriteStringValue($"<{BtfRawFormatter.KindName(type.Kind)}>");
                    break;
            }
        }

        private static void WriteInt(Utf8JsonWriter w, BtfInt i, ReadOnlySpan<byte> data, uint bitOffset, uint bits)
        {
            if (bits > 64)
            {
                // __int128: bpftool prints it as one hex number.
                var big = new BigInteger(data.Slice((int)(bitOffset / 8), (int)(bits / 8)), isUnsigned: true, isBigEndian: false);
                w.WriteStringValue("0x" + big.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(1, '0'));
                return;
            }
            ulong raw = ReadBits(data, bitOffset, bits);
            if ((i.Encoding & BtfIntEncoding.Bool) != 0) w.WriteBooleanValue(raw != 0);
            else if (i.IsSigned) w.WriteNumberValue(SignExtend(raw, bits));
            else w.WriteNumberValue(raw);
        }

        private static void WriteEnum(Utf8JsonWriter w, BtfEnum e, ReadOnlySpan<byte> data, uint bitOffset, uint bitfieldSize)
        {
            uint bits = bitfieldSize != 0 ? bitfieldSize : e.Size * 8;
            ulong raw = ReadBits(data, bitOffset, bits);
            long value = e.IsSigned ? SignExtend(raw, bits) : (long)raw;
            foreach (BtfEnumValue v in e.Values)
            {
                bool same = e.Is64 ? v.Value == value : (uint)v.Value == (uint)value;
                if (same) { w.WriteStringValue(v.Name); return; }
            }
            if (e.IsSigned) w.WriteNumberValue(value);
            else w.WriteNumberValue(raw);
        }

        private void WriteArray(Utf8JsonWriter w, BtfSpec btf, BtfArray a, ReadOnlySpan<byte> data, uint bitOffset)
        {
            ulong elementSize = btf.SizeOf(a.ElementType);
            if (btf[btf.SkipModifiersAndTypedefs(a.ElementType)] is BtfInt { Size: 1 } element
                && ((element.Encoding & BtfIntEncoding.Char) != 0 || element.Name.Contains("char", StringComparison.Ordinal))
                && TryString(data.Slice((int)(bitOffset / 8), (int)a.Length), out string? text))
            {
                w.WriteStringValue(text);
                return;
            }
            w.WriteStartArray();
            for (uint k = 0; k < a.Length; k++)
                WriteAt(w, a.ElementType, data, bitOffset + (uint)(k * elementSize * 8), 0);
            w.WriteEndArray();
        }

    }

    // A char array is a string when it holds printable characters up to a NUL.
    private static bool TryString(ReadOnlySpan<byte> bytes, out string? text)
    {
        int end = bytes.IndexOf((byte)0);
        text = null;
        if (end < 0) return false;
        foreach (byte b in bytes[..end])
            if (b < 0x20 || b >= 0x7f) return false;
        text = Encoding.ASCII.GetString(bytes[..end]);
        return true;
    }

    private static ulong ReadBits(ReadOnlySpan<byte> data, uint bitOffset, uint bits)
    {
        int first = (int)(bitOffset / 8);
        int shift = (int)(bitOffset % 8);
        int count = Math.Min((shift + (int)bits + 7) / 8, data.Length - first);
        UInt128 acc = 0;
        for (int k = count - 1; k >= 0; k--) acc = (acc << 8) | data[first + k];
        acc >>= shift;
        return bits >= 64 ? (ulong)acc : (ulong)acc & ((1UL << (int)bits) - 1);
    }

    private static long SignExtend(ulong raw, uint bits) => bits >= 64 ? (long)raw : (long)(raw << (int)(64 - bits)) >> (int)(64 - bits);
}
