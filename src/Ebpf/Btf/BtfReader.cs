using System.Buffers.Binary;
using System.Text;

namespace Ebpf.Btf;

/// <summary>
/// Parses the BTF wire format (<c>struct btf_header</c>, type section, string section), bounds-checking every
/// read: malformed input raises <see cref="BtfFormatException"/> naming the offset and type id.
/// </summary>
public static class BtfReader
{
    /// <summary>BTF_MAGIC as read little-endian.</summary>
    public const ushort Magic = 0xeb9f;

    private const int HeaderSize = 24;
    private const int MaxVlen = 0xffff;

    /// <summary>Parses BTF bytes; <paramref name="baseSpec"/> is the base of split BTF (kernel modules).</summary>
    /// <exception cref="BtfFormatException">The data is not valid BTF.</exception>
    public static BtfSpec Parse(ReadOnlySpan<byte> data, BtfSpec? baseSpec = null)
    {
        if (data.Length < HeaderSize) throw new BtfFormatException($"BTF is {data.Length} bytes, shorter than its {HeaderSize}-byte header");
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(data);
        if (magic == 0x9feb) throw new BtfFormatException("BTF is big-endian; only little-endian BTF is supported");
        if (magic != Magic) throw new BtfFormatException($"BTF magic is 0x{magic:x4}, expected 0x{Magic:x4}");
        if (data[2] != 1) throw new BtfFormatException($"BTF version {data[2]} is not supported (expected 1)");
        uint hdrLen = U32(data, 4);
        uint typeOff = U32(data, 8), typeLen = U32(data, 12), strOff = U32(data, 16), strLen = U32(data, 20);
        if (hdrLen < HeaderSize || hdrLen > (uint)data.Length) throw new BtfFormatException($"BTF header length {hdrLen} is outside 24..{data.Length}");
        ReadOnlySpan<byte> body = data[(int)hdrLen..];
        CheckRange(body.Length, typeOff, typeLen, "type section");
        CheckRange(body.Length, strOff, strLen, "string section");
        if (typeOff % 4 != 0) throw new BtfFormatException($"BTF type section offset {typeOff} is not 4-byte aligned");
        ReadOnlySpan<byte> strings = body.Slice((int)strOff, (int)strLen);
        if (baseSpec is null && (strings.Length == 0 || strings[0] != 0))
            throw new BtfFormatException("BTF string section must start with an empty string");
        var names = new StringTable(strings.ToArray(), baseSpec);
        BtfType[] types = ParseTypes(body.Slice((int)typeOff, (int)typeLen), names, (int)hdrLen + (int)typeOff, baseSpec);
        var spec = new BtfSpec(baseSpec, types, names.Own);
        Validate(spec);
        return spec;
    }

    private static BtfType[] ParseTypes(ReadOnlySpan<byte> section, StringTable names, int fileOffset, BtfSpec? baseSpec)
    {
        var types = new List<BtfType>(section.Length / 16);
        uint firstId = baseSpec is null ? 1u : (uint)baseSpec.TypeCount;
        int pos = 0;
        while (pos < section.Length)
        {
            uint id = firstId + (uint)types.Count;
            if (section.Length - pos < 12) throw Error(id, fileOffset + pos, "type header (12 bytes) runs past the type section");
            uint nameOff = U32(section, pos), info = U32(section, pos + 4), sizeOrType = U32(section, pos + 8);
            int typeStart = pos;
            pos += 12;
            int vlen = (int)(info & MaxVlen);
            var kind = (BtfKind)((info >> 24) & 0x1f);
            bool kindFlag = (info >> 31) != 0;
            string name = names.Get(nameOff, id, fileOffset + typeStart);
            int need = kind switch
            {
                BtfKind.Int or BtfKind.Var or BtfKind.DeclTag => 4,
                BtfKind.Array => 12,
                BtfKind.Struct or BtfKind.Union or BtfKind.DataSec or BtfKind.Enum64 => 12 * vlen,
                BtfKind.Enum or BtfKind.FuncProto => 8 * vlen,
                _ => 0,
            };
            if (section.Length - pos < need)
                throw Error(id, fileOffset + typeStart, $"{kind} with vlen {vlen} needs {need} more bytes but the type section has {section.Length - pos}");
            ReadOnlySpan<byte> extra = section.Slice(pos, need);
            pos += need;
            types.Add(kind switch
            {
                BtfKind.Int => ReadInt(name, sizeOrType, U32(extra, 0), id, fileOffset + typeStart),
                BtfKind.Pointer => new BtfPointer(sizeOrType),
                BtfKind.Array => new BtfArray(U32(extra, 0), U32(extra, 4), U32(extra, 8)),
                BtfKind.Struct => new BtfStruct(name, sizeOrType, ReadMembers(extra, vlen, kindFlag, names, id, fileOffset + pos - need)),
                BtfKind.Union => new BtfUnion(name, sizeOrType, ReadMembers(extra, vlen, kindFlag, names, id, fileOffset + pos - need)),
                BtfKind.Enum => new BtfEnum(name, sizeOrType, kindFlag, false, ReadEnum32(extra, vlen, kindFlag, names, id, fileOffset + pos - need)),
                BtfKind.Enum64 => new BtfEnum(name, sizeOrType, kindFlag, true, ReadEnum64(extra, vlen, names, id, fileOffset + pos - need)),
                BtfKind.Forward => new BtfForward(name, kindFlag),
                BtfKind.Typedef => new BtfTypedef(name, sizeOrType),
                BtfKind.Volatile => new BtfVolatile(sizeOrType),
                BtfKind.Const => new BtfConst(sizeOrType),
                BtfKind.Restrict => new BtfRestrict(sizeOrType),
                BtfKind.Func => vlen <= 2 ? new BtfFunc(name, sizeOrType, (BtfLinkage)vlen)
                    : throw Error(id, fileOffset + typeStart, $"FUNC linkage {vlen} is not static (0), global (1) or extern (2)"),
                BtfKind.FuncProto => new BtfFuncProto(sizeOrType, ReadParams(extra, vlen, names, id, fileOffset + pos - need)),
                BtfKind.Var => new BtfVar(name, sizeOrType, (BtfLinkage)U32(extra, 0)),
                BtfKind.DataSec => new BtfDataSec(name, sizeOrType, ReadSecInfo(extra, vlen)),
                BtfKind.Float => new BtfFloat(name, sizeOrType),
                BtfKind.DeclTag => new BtfDeclTag(name, sizeOrType, (int)U32(extra, 0)),
                BtfKind.TypeTag => new BtfTypeTag(name, sizeOrType),
                _ => throw Error(id, fileOffset + typeStart, $"unknown kind {(int)kind}"),
            });
        }
        return [.. types];
    }

    private static BtfInt ReadInt(string name, uint size, uint data, uint id, int offset)
    {
        var encoding = (BtfIntEncoding)((data >> 24) & 0x0f);
        byte bitOffset = (byte)((data >> 16) & 0xff), bits = (byte)(data & 0xff);
        if (size is not (1 or 2 or 4 or 8 or 16)) throw Error(id, offset, $"INT '{name}' has size {size}; must be 1, 2, 4, 8 or 16");
        if (bits > 128 || bitOffset + bits > size * 8) throw Error(id, offset, $"INT '{name}' has {bits} bits at bit {bitOffset}, more than its {size} bytes hold");
        return new BtfInt(name, size, encoding, bitOffset, bits);
    }

    private static BtfMember[] ReadMembers(ReadOnlySpan<byte> data, int vlen, bool kindFlag, StringTable names, uint id, int offset)
    {
        var members = new BtfMember[vlen];
        for (int i = 0; i < vlen; i++)
        {
            uint raw = U32(data, i * 12 + 8);
            members[i] = new BtfMember(names.Get(U32(data, i * 12), id, offset + i * 12), U32(data, i * 12 + 4),
                kindFlag ? raw & 0xffffff : raw, kindFlag ? raw >> 24 : 0);
        }
        return members;
    }

    private static BtfEnumValue[] ReadEnum32(ReadOnlySpan<byte> data, int vlen, bool signed, StringTable names, uint id, int offset)
    {
        var values = new BtfEnumValue[vlen];
        for (int i = 0; i < vlen; i++)
        {
            uint raw = U32(data, i * 8 + 4);
            values[i] = new BtfEnumValue(names.Get(U32(data, i * 8), id, offset + i * 8), signed ? (int)raw : raw);
        }
        return values;
    }

    private static BtfEnumValue[] ReadEnum64(ReadOnlySpan<byte> data, int vlen, StringTable names, uint id, int offset)
    {
        var values = new BtfEnumValue[vlen];
        for (int i = 0; i < vlen; i++)
            values[i] = new BtfEnumValue(names.Get(U32(data, i * 12), id, offset + i * 12),
                (long)(U32(data, i * 12 + 4) | ((ulong)U32(data, i * 12 + 8) << 32)));
        return values;
    }

    private static BtfParameter[] ReadParams(ReadOnlySpan<byte> data, int vlen, StringTable names, uint id, int offset)
    {
        var parameters = new BtfParameter[vlen];
        for (int i = 0; i < vlen; i++)
            parameters[i] = new BtfParameter(names.Get(U32(data, i * 8), id, offset + i * 8), U32(data, i * 8 + 4));
        return parameters;
    }

    private static BtfVarSecInfo[] ReadSecInfo(ReadOnlySpan<byte> data, int vlen)
    {
        var vars = new BtfVarSecInfo[vlen];
        for (int i = 0; i < vlen; i++)
            vars[i] = new BtfVarSecInfo(U32(data, i * 12), U32(data, i * 12 + 4), U32(data, i * 12 + 8));
        return vars;
    }

    /// <summary>Every type id a type refers to must exist: checked once all types are read (references may point forward).</summary>
    private static void Validate(BtfSpec spec)
    {
        uint count = (uint)spec.TypeCount;
        for (int i = 0; i < spec.OwnTypes.Count; i++)
        {
            uint id = spec.FirstTypeId + (uint)i;
            BtfType type = spec.OwnTypes[i];
            switch (type)
            {
                case BtfReferenceType r when r.Type >= count:
                    throw RefError(id, type, r.Type, count);
                case BtfArray a when a.ElementType >= count || a.IndexType >= count:
                    throw RefError(id, type, Math.Max(a.ElementType, a.IndexType), count);
                case BtfComposite c:
                    foreach (BtfMember m in c.Members)
                        if (m.Type >= count) throw RefError(id, type, m.Type, count);
                    break;
                case BtfFuncProto p:
                    if (p.ReturnType >= count) throw RefError(id, type, p.ReturnType, count);
                    foreach (BtfParameter param in p.Parameters)
                        if (param.Type >= count) throw RefError(id, type, param.Type, count);
                    break;
                case BtfDataSec d:
                    foreach (BtfVarSecInfo v in d.Variables)
                        if (v.Type >= count) throw RefError(id, type, v.Type, count);
                    break;
            }
        }
    }

    private static BtfFormatException RefError(uint id, BtfType type, uint target, uint count) =>
        new($"BTF type {id} ({type}) refers to type {target}, but the highest id is {count - 1}");

    private static BtfFormatException Error(uint id, int offset, string what) => new($"BTF type {id} at byte {offset}: {what}");

    private static void CheckRange(int length, uint off, uint len, string what)
    {
        if ((ulong)off + len > (ulong)length)
            throw new BtfFormatException($"BTF {what} [{off}, {(ulong)off + len}) runs past the end of the data ({length} bytes after the header)");
    }

    private static uint U32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);

    /// <summary>Names by string offset, decoded once each; split BTF offsets past the base's strings are its own.</summary>
    private sealed class StringTable(byte[] own, BtfSpec? baseSpec)
    {
        private readonly Dictionary<uint, string> _cache = [];
        private readonly uint _baseLength = baseSpec is null ? 0u : (uint)TotalLength(baseSpec);

        public byte[] Own { get; } = own;

        public string Get(uint offset, uint id, int fileOffset)
        {
            if (offset == 0) return "";
            if (_cache.TryGetValue(offset, out string? s)) return s;
            if (offset < _baseLength) return _cache[offset] = BtfStrings.Read(baseSpec!, offset);
            ulong local = offset - _baseLength;
            if (local >= (ulong)Own.Length)
                throw Error(id, fileOffset, $"name offset {offset} is past the end of the string section ({_baseLength + (ulong)Own.Length} bytes)");
            int end = Array.IndexOf(Own, (byte)0, (int)local);
            if (end < 0) throw Error(id, fileOffset, $"name at offset {offset} is not NUL-terminated");
            return _cache[offset] = Encoding.UTF8.GetString(Own, (int)local, end - (int)local);
        }

        private static int TotalLength(BtfSpec spec) => spec.Strings.Length + (spec.Base is null ? 0 : TotalLength(spec.Base));
    }
}
