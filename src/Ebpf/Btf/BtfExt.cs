using System.Buffers.Binary;

namespace Ebpf.Btf;

/// <summary>
/// The parsed <c>.BTF.ext</c> section: per ELF section, the function info (which BTF FUNC starts at which
/// instruction), line info (source file, line and column of instructions) and CO-RE relocations.
/// Instruction offsets are in bytes from the start of the ELF section, as in the file.
/// </summary>
public sealed class BtfExt
{
    private BtfExt(IReadOnlyDictionary<string, IReadOnlyList<BtfFuncInfo>> funcInfo,
                   IReadOnlyDictionary<string, IReadOnlyList<BtfLineInfo>> lineInfo,
                   IReadOnlyDictionary<string, IReadOnlyList<BtfCoReRelocation>> coreRelocations)
    {
        FuncInfo = funcInfo;
        LineInfo = lineInfo;
        CoReRelocations = coreRelocations;
    }

    /// <summary>Function info by ELF section name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<BtfFuncInfo>> FuncInfo { get; }

    /// <summary>Line info by ELF section name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<BtfLineInfo>> LineInfo { get; }

    /// <summary>CO-RE relocations by ELF section name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<BtfCoReRelocation>> CoReRelocations { get; }

    /// <summary>Parses <c>.BTF.ext</c>; names are resolved through <paramref name="btf"/>, the object's <c>.BTF</c>.</summary>
    /// <exception cref="BtfFormatException">The section is malformed; says which part and offset.</exception>
    public static BtfExt Parse(ReadOnlySpan<byte> data, BtfSpec btf)
    {
        if (data.Length < 8) throw new BtfFormatException($"BTF.ext is {data.Length} bytes, shorter than its header");
        if (BinaryPrimitives.ReadUInt16LittleEndian(data) != BtfReader.Magic) throw new BtfFormatException("BTF.ext magic is not 0xeb9f");
        if (data[2] != 1) throw new BtfFormatException($"BTF.ext version {data[2]} is not supported (expected 1)");
        uint hdrLen = U32(data, 4);
        if (hdrLen < 24 || hdrLen > data.Length) throw new BtfFormatException($"BTF.ext header length {hdrLen} is outside 24..{data.Length}");
        ReadOnlySpan<byte> body = data[(int)hdrLen..];
        var funcs = ReadInfo(body, U32(data, 8), U32(data, 12), "func_info", 8, btf,
            (r, _) => new BtfFuncInfo(U32(r, 0), U32(r, 4)));
        var lines = ReadInfo(body, U32(data, 16), U32(data, 20), "line_info", 16, btf,
            (r, s) => new BtfLineInfo(U32(r, 0), Str(s, U32(r, 4)), Str(s, U32(r, 8)), U32(r, 12) >> 10, U32(r, 12) & 0x3ff));
        var relos = hdrLen >= 32
            ? ReadInfo(body, U32(data, 24), U32(data, 28), "core_relo", 16, btf,
                (r, s) => new BtfCoReRelocation(U32(r, 0), U32(r, 4), Str(s, U32(r, 8)), (CoReRelocationKind)U32(r, 12)))
            : new Dictionary<string, IReadOnlyList<BtfCoReRelocation>>();
        return new BtfExt(funcs, lines, relos);
    }

    private delegate T RecordReader<T>(ReadOnlySpan<byte> record, BtfSpec strings);

    private static Dictionary<string, IReadOnlyList<T>> ReadInfo<T>(ReadOnlySpan<byte> body, uint off, uint len, string what,
        int minRecordSize, BtfSpec btf, RecordReader<T> read)
    {
        var result = new Dictionary<string, IReadOnlyList<T>>(StringComparer.Ordinal);
        if (len == 0) return result;
        if ((ulong)off + len > (ulong)body.Length) throw new BtfFormatException($"BTF.ext {what} [{off}, {(ulong)off + len}) runs past the section ({body.Length} bytes)");
        ReadOnlySpan<byte> info = body.Slice((int)off, (int)len);
        if (info.Length < 4) throw new BtfFormatException($"BTF.ext {what} is too short for its record size");
        uint recordSize = U32(info, 0);
        if (recordSize < minRecordSize || recordSize > 1024) throw new BtfFormatException($"BTF.ext {what} record size {recordSize} is invalid (at least {minRecordSize})");
        int pos = 4;
        while (pos < info.Length)
        {
            if (info.Length - pos < 8) throw new BtfFormatException($"BTF.ext {what} at {pos}: section header runs past the end");
            string section = Str(btf, U32(info, pos));
            uint count = U32(info, pos + 4);
            pos += 8;
            if ((ulong)count * recordSize > (ulong)(info.Length - pos))
                throw new BtfFormatException($"BTF.ext {what} for section '{section}': {count} records of {recordSize} bytes run past the end");
            var records = new T[count];
            for (int i = 0; i < count; i++, pos += (int)recordSize)
                records[i] = read(info.Slice(pos, (int)recordSize), btf);
            result[section] = records;
        }
        return result;
    }

    private static string Str(BtfSpec btf, uint offset)
    {
        try { return BtfStrings.Read(btf, offset); }
        catch (BtfFormatException e) { throw new BtfFormatException($"BTF.ext refers to {e.Message}", e); }
    }

    private static uint U32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
}

/// <summary>A function's start: instruction byte offset in its section and its BTF FUNC id.</summary>
public readonly record struct BtfFuncInfo(uint InstructionOffset, uint TypeId);

/// <summary>Source position of an instruction.</summary>
public readonly record struct BtfLineInfo(uint InstructionOffset, string FileName, string Line, uint LineNumber, uint Column);

/// <summary>A CO-RE relocation: which instruction, relative to which local type, along which access path, of which kind.</summary>
/// <param name="InstructionOffset">Byte offset of the instruction in its section.</param>
/// <param name="TypeId">The local (object) BTF type id the access starts from.</param>
/// <param name="AccessString">The access path, e.g. <c>0:1:2</c>, or an enumerator index.</param>
/// <param name="Kind">What is computed.</param>
public readonly record struct BtfCoReRelocation(uint InstructionOffset, uint TypeId, string AccessString, CoReRelocationKind Kind);

/// <summary>The CO-RE relocation kinds (enum bpf_core_relo_kind).</summary>
public enum CoReRelocationKind : uint
{
    /// <summary>BPF_CORE_FIELD_BYTE_OFFSET.</summary>
    FieldByteOffset = 0,
    /// <summary>BPF_CORE_FIELD_BYTE_SIZE.</summary>
    FieldByteSize = 1,
    /// <summary>BPF_CORE_FIELD_EXISTS.</summary>
    FieldExists = 2,
    /// <summary>BPF_CORE_FIELD_SIGNED.</summary>
    FieldSigned = 3,
    /// <summary>BPF_CORE_FIELD_LSHIFT_U64.</summary>
    FieldLShiftU64 = 4,
    /// <summary>BPF_CORE_FIELD_RSHIFT_U64.</summary>
    FieldRShiftU64 = 5,
    /// <summary>BPF_CORE_TYPE_ID_LOCAL.</summary>
    TypeIdLocal = 6,
    /// <summary>BPF_CORE_TYPE_ID_TARGET.</summary>
    TypeIdTarget = 7,
    /// <summary>BPF_CORE_TYPE_EXISTS.</summary>
    TypeExists = 8,
    /// <summary>BPF_CORE_TYPE_SIZE.</summary>
    TypeSize = 9,
    /// <summary>BPF_CORE_ENUMVAL_EXISTS.</summary>
    EnumValueExists = 10,
    /// <summary>BPF_CORE_ENUMVAL_VALUE.</summary>
    EnumValueValue = 11,
    /// <summary>BPF_CORE_TYPE_MATCHES.</summary>
    TypeMatches = 12,
}
