using System.Buffers.Binary;
using System.Text;

namespace Ebpf.Btf;

/// <summary>
/// Marshals types into the BTF wire format, the form <c>BPF_BTF_LOAD</c> takes: header, type section,
/// deduplicated string section. Types keep their ids (the first type written gets id 1).
/// </summary>
public static class BtfWriter
{
    /// <summary>Encodes the own types of <paramref name="spec"/> (not split BTF: its base must be null).</summary>
    /// <exception cref="NotSupportedException">The spec is split BTF.</exception>
    public static byte[] Write(BtfSpec spec)
    {
        if (spec.Base is not null) throw new NotSupportedException("writing split BTF is not supported; write the base and module BTF separately");
        return Write(spec.OwnTypes);
    }

    /// <summary>
    /// Encodes the own types of <paramref name="spec"/> keeping its original string section byte for byte (new names
    /// are appended), so string offsets other records hold (line info's file and line text) stay valid.
    /// </summary>
    /// <exception cref="NotSupportedException">The spec is split BTF.</exception>
    public static byte[] WritePreservingStrings(BtfSpec spec)
    {
        if (spec.Base is not null) throw new NotSupportedException("writing split BTF is not supported; write the base and module BTF separately");
        return Write(spec.OwnTypes, new StringSection(spec.Strings));
    }

    /// <summary>Encodes <paramref name="types"/> with ids 1..n.</summary>
    /// <exception cref="ArgumentException">A type has more members than BTF can encode (65535).</exception>
    public static byte[] Write(IReadOnlyList<BtfType> types) => Write(types, new StringSection());

    private static byte[] Write(IReadOnlyList<BtfType> types, StringSection strings)
    {
        var body = new MemoryStream(types.Count * 24);
        var word = new byte[4];
        void U32(uint v) { BinaryPrimitives.WriteUInt32LittleEndian(word, v); body.Write(word, 0, 4); }
        void Header(BtfType t, int vlen, bool kindFlag, uint sizeOrType)
        {
            if (vlen > 0xffff) throw new ArgumentException($"{t} has {vlen} members/values; BTF encodes at most 65535", nameof(types));
            U32(strings.Add(t.Name));
            U32((uint)vlen | ((uint)t.Kind << 24) | (kindFlag ? 1u << 31 : 0));
            U32(sizeOrType);
        }

        foreach (BtfType type in types)
        {
            switch (type)
            {
                case BtfInt t:
                    Header(t, 0, false, t.Size);
                    U32(((uint)t.Encoding << 24) | ((uint)t.BitOffset << 16) | t.Bits);
                    break;
                case BtfArray a:
                    Header(a, 0, false, 0);
                    U32(a.ElementType); U32(a.IndexType); U32(a.Length);
                    break;
                case BtfComposite c:
                    bool bitfields = c.Members.Any(m => m.BitfieldSize != 0);
                    Header(c, c.Members.Count, bitfields, c.Size);
                    foreach (BtfMember m in c.Members)
                    {
                        U32(strings.Add(m.Name)); U32(m.Type);
                        U32(bitfields ? (m.BitfieldSize << 24) | (m.BitOffset & 0xffffff) : m.BitOffset);
                    }
                    break;
                case BtfEnum e:
                    Header(e, e.Values.Count, e.IsSigned, e.Size);
                    foreach (BtfEnumValue v in e.Values)
                    {
                        U32(strings.Add(v.Name)); U32((uint)v.Value);
                        if (e.Is64) U32((uint)((ulong)v.Value >> 32));
                    }
                    break;
                case BtfForward f:
                    Header(f, 0, f.IsUnion, 0);
                    break;
                case BtfFunc f:
                    Header(f, (int)f.Linkage, false, f.Type);
                    break;
                case BtfVar v:
                    Header(v, 0, false, v.Type);
                    U32((uint)v.Linkage);
                    break;
                case BtfDeclTag d:
                    Header(d, 0, false, d.Type);
                    U32((uint)d.ComponentIndex);
                    break;
                case BtfReferenceType r:
                    Header(r, 0, false, r.Type);
                    break;
                case BtfFuncProto p:
                    Header(p, p.Parameters.Count, false, p.ReturnType);
                    foreach (BtfParameter param in p.Parameters) { U32(strings.Add(param.Name)); U32(param.Type); }
                    break;
                case BtfDataSec d:
                    Header(d, d.Variables.Count, false, d.Size);
                    foreach (BtfVarSecInfo v in d.Variables) { U32(v.Type); U32(v.Offset); U32(v.Size); }
                    break;
                case BtfFloat f:
                    Header(f, 0, false, f.Size);
                    break;
                default:
                    throw new ArgumentException($"cannot encode {type}", nameof(types));
            }
        }

        byte[] typeSection = body.ToArray(), stringSection = strings.ToArray();
        var result = new byte[24 + typeSection.Length + stringSection.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(result, BtfReader.Magic);
        result[2] = 1;                                              // version
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), 24);                       // hdr_len
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), 0);                        // type_off
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(12), (uint)typeSection.Length); // type_len
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(16), (uint)typeSection.Length); // str_off
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(20), (uint)stringSection.Length);
        typeSection.CopyTo(result, 24);
        stringSection.CopyTo(result, 24 + typeSection.Length);
        return result;
    }

    /// <summary>A string section that stores each distinct string once; offset 0 is the empty string.</summary>
    private sealed class StringSection
    {
        private readonly Dictionary<string, uint> _offsets = new(StringComparer.Ordinal) { [""] = 0 };
        private readonly MemoryStream _bytes = new();

        public StringSection() => _bytes.WriteByte(0);

        /// <summary>Starts from an existing string section: every string in it keeps its offset.</summary>
        public StringSection(byte[] original)
        {
            if (original.Length == 0 || original[0] != 0)
            {
                _bytes.WriteByte(0);
                return;
            }
            _bytes.Write(original);
            if (original[^1] != 0) _bytes.WriteByte(0);
            for (int start = 1; start < original.Length;)
            {
                int end = Array.IndexOf(original, (byte)0, start);
                if (end < 0) break;
                _offsets.TryAdd(Encoding.UTF8.GetString(original, start, end - start), (uint)start);
                start = end + 1;
            }
        }

        public uint Add(string s)
        {
            if (_offsets.TryGetValue(s, out uint offset)) return offset;
            offset = (uint)_bytes.Length;
            _bytes.Write(Encoding.UTF8.GetBytes(s));
            _bytes.WriteByte(0);
            _offsets[s] = offset;
            return offset;
        }

        public byte[] ToArray() => _bytes.ToArray();
    }
}
