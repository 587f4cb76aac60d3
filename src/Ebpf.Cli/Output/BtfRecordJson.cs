using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Ebpf.Btf;

namespace Ebpf.Cli.Output;

/// <summary>Writes a record's bytes as JSON typed by a BTF type: integers as numbers, char arrays as strings, structs as objects.</summary>
internal static class BtfRecordJson
{
    /// <summary>Writes <paramref name="data"/> as BTF type <paramref name="typeId"/>.</summary>
    public static void Write(Utf8JsonWriter w, BtfSpec btf, uint typeId, ReadOnlySpan<byte> data, int depth = 0)
    {
        typeId = btf.SkipModifiersAndTypedefs(typeId);
        switch (btf[typeId])
        {
            case BtfInt i when i.Bits % 8 == 0 && i.BitOffset == 0 && data.Length >= i.Size:
                WriteInt(w, data[..(int)i.Size], i.IsSigned, i.Encoding == BtfIntEncoding.Bool);
                break;
            case BtfEnum e when data.Length >= e.Size:
                WriteInt(w, data[..(int)e.Size], e.IsSigned, false);
                break;
            case BtfPointer when data.Length >= 8:
                w.WriteStringValue($"0x{BinaryPrimitives.ReadUInt64LittleEndian(data):x}");
                break;
            case BtfArray a when IsChar(btf, a.ElementType):
                ReadOnlySpan<byte> chars = data[..(int)Math.Min(a.Length, (uint)data.Length)];
                int nul = chars.IndexOf((byte)0);
                w.WriteStringValue(Encoding.UTF8.GetString(nul < 0 ? chars : chars[..nul]));
                break;
            case BtfArray a when depth < 8:
                int size = (int)btf.SizeOf(a.ElementType);
                w.WriteStartArray();
                for (int k = 0; k < a.Length && (k + 1) * size <= data.Length; k++)
                    Write(w, btf, a.ElementType, data.Slice(k * size, size), depth + 1);
                w.WriteEndArray();
                break;
            case BtfComposite c when depth < 8:
                w.WriteStartObject();
                foreach (BtfMember m in c.Members)
                {
                    int offset = (int)(m.BitOffset / 8);
                    if (m.BitfieldSize != 0 || offset >= data.Length) continue;   // bitfields: shown in the hex form only
                    w.WritePropertyName(m.Name.Length > 0 ? m.Name : $"@{offset}");
                    Write(w, btf, m.Type, data[offset..], depth + 1);
                }
                w.WriteEndObject();
                break;
            default:
                w.WriteStringValue(Convert.ToHexStringLower(data[..(int)Math.Min((ulong)data.Length, SafeSize(btf, typeId, data.Length))]));
                break;
        }
    }

    private static ulong SafeSize(BtfSpec btf, uint id, int fallback)
    {
        try
        {
            return btf.SizeOf(id);
        }
        catch (InvalidOperationException)
        {
            return (ulong)fallback;
        }
    }

    private static bool IsChar(BtfSpec btf, uint id) =>
        btf[btf.SkipModifiersAndTypedefs(id)] is BtfInt { Size: 1 } i && (i.Encoding == BtfIntEncoding.Char || i.Name.Contains("char", StringComparison.Ordinal));

    private static void WriteInt(Utf8JsonWriter w, ReadOnlySpan<byte> b, bool signed, bool boolean)
    {
        ulong raw = b.Length switch
        {
            1 => b[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(b),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(b),
            8 => BinaryPrimitives.ReadUInt64LittleEndian(b),
            _ => ulong.MaxValue,
        };
        if (raw == ulong.MaxValue && b.Length is not (1 or 2 or 4 or 8)) w.WriteStringValue(Convert.ToHexStringLower(b));
        else if (boolean) w.WriteBooleanValue(raw != 0);
        else if (signed) w.WriteNumberValue(b.Length switch { 1 => (sbyte)raw, 2 => (short)raw, 4 => (int)raw, _ => (long)raw });
        else w.WriteNumberValue(raw);
    }
}
