using System.Buffers.Binary;
using Ebpf.Btf;
using Ebpf.Elf;

namespace Ebpf;

/// <summary>
/// The <c>.BTF.ext</c> records the linker needs, per ELF section index and in file order: function info, line info
/// (with the raw string offsets the kernel takes) and CO-RE relocations. Offsets are bytes within the section.
/// </summary>
internal sealed class ExtInfo
{
    public Dictionary<int, List<FuncRecord>> Functions { get; } = [];
    public Dictionary<int, List<LineRecord>> Lines { get; } = [];
    public Dictionary<int, List<BtfCoReRelocation>> CoRe { get; } = [];

    internal readonly record struct FuncRecord(uint Offset, uint TypeId);

    internal readonly record struct LineRecord(uint Offset, uint FileNameOffset, uint LineOffset, uint LineColumn);

    public static ExtInfo Parse(ReadOnlySpan<byte> data, BtfSpec btf, ElfFile elf)
    {
        if (data.Length < 24) throw new BtfFormatException($"BTF.ext is {data.Length} bytes, shorter than its 24-byte header");
        if (BinaryPrimitives.ReadUInt16LittleEndian(data) != BtfReader.Magic) throw new BtfFormatException("BTF.ext magic is not 0xeb9f");
        if (data[2] != 1) throw new BtfFormatException($"BTF.ext version {data[2]} is not supported (expected 1)");
        uint hdrLen = U32(data, 4);
        if (hdrLen < 24 || hdrLen > (uint)data.Length) throw new BtfFormatException($"BTF.ext header length {hdrLen} is outside 24..{data.Length}");
        ReadOnlySpan<byte> body = data[(int)hdrLen..];
        var info = new ExtInfo();
        Read(body, U32(data, 8), U32(data, 12), "func_info", 8, btf, elf, info.Functions,
            (r, _) => new FuncRecord(U32(r, 0), U32(r, 4)));
        Read(body, U32(data, 16), U32(data, 20), "line_info", 16, btf, elf, info.Lines,
            (r, _) => new LineRecord(U32(r, 0), U32(r, 4), U32(r, 8), U32(r, 12)));
        if (hdrLen >= 32)
            Read(body, U32(data, 24), U32(data, 28), "core_relo", 16, btf, elf, info.CoRe,
                (r, s) => new BtfCoReRelocation(U32(r, 0), U32(r, 4), String(s, U32(r, 8)), (CoReRelocationKind)U32(r, 12)));
        return info;
    }

    private delegate T RecordReader<T>(ReadOnlySpan<byte> record, BtfSpec btf);

    private static void Read<T>(ReadOnlySpan<byte> body, uint off, uint len, string what, int minRecordSize, BtfSpec btf, ElfFile elf,
        Dictionary<int, List<T>> into, RecordReader<T> read)
    {
        if (len == 0) return;
        if ((ulong)off + len > (ulong)body.Length)
            throw new BtfFormatException($"BTF.ext {what} [{off}, {(ulong)off + len}) runs past the section ({body.Length} bytes)");
        ReadOnlySpan<byte> seg = body.Slice((int)off, (int)len);
        if (seg.Length < 4) throw new BtfFormatException($"BTF.ext {what} is too short for its record size");
        uint recordSize = U32(seg, 0);
        if (recordSize < minRecordSize || recordSize > 1024 || recordSize % 4 != 0)
            throw new BtfFormatException($"BTF.ext {what} record size {recordSize} is invalid (at least {minRecordSize}, a multiple of 4)");
        int pos = 4;
        while (pos < seg.Length)
        {
            if (seg.Length - pos < 8) throw new BtfFormatException($"BTF.ext {what} at {pos}: section header runs past the end");
            string section = String(btf, U32(seg, pos));
            uint count = U32(seg, pos + 4);
            pos += 8;
            if (count == 0) throw new BtfFormatException($"BTF.ext {what} for section '{section}' has no records");
            if ((ulong)count * recordSize > (ulong)(seg.Length - pos))
                throw new BtfFormatException($"BTF.ext {what} for section '{section}': {count} records of {recordSize} bytes run past the end");
            // libbpf maps section names to ELF sections; records of sections the object lacks are never used.
            int index = elf.FindSection(section)?.Index ?? -1;
            List<T>? list = null;
            if (index > 0 && !into.TryGetValue(index, out list)) into[index] = list = [];
            for (int i = 0; i < count; i++, pos += (int)recordSize)
                list?.Add(read(seg.Slice(pos, (int)recordSize), btf));
        }
    }

    private static string String(BtfSpec btf, uint offset) =>
        offset < BtfStrings.Length(btf) ? BtfStrings.Read(btf, offset) : throw new BtfFormatException($"BTF.ext refers to string offset {offset}, past the string section");

    private static uint U32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
}
