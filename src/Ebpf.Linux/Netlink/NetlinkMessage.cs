using System.Buffers.Binary;

namespace Ebpf.Linux.Netlink;

/// <summary>Builds one netlink message: nlmsghdr, a fixed family header, then rtattr attributes (nested allowed).</summary>
internal sealed class NetlinkMessage
{
    private readonly List<byte> _bytes = new(256);
    private readonly Stack<int> _nests = new();

    internal NetlinkMessage(ushort type, ushort flags)
    {
        Flags = flags;
        _bytes.AddRange(new byte[16]);
        BinaryPrimitives.WriteUInt16LittleEndian(Slice(4, 2), type);
    }

    internal ushort Flags { get; }

    private Span<byte> Slice(int at, int length) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_bytes).Slice(at, length);

    /// <summary>Appends raw bytes (the family header), padded to 4.</summary>
    internal NetlinkMessage Raw(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) _bytes.Add(b);
        while (_bytes.Count % 4 != 0) _bytes.Add(0);
        return this;
    }

    internal NetlinkMessage Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], type);
        Raw(header);
        return Raw(value);
    }

    internal NetlinkMessage U32(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v, value);
        return Attribute(type, v);
    }

    internal NetlinkMessage String(ushort type, string value) => Attribute(type, System.Text.Encoding.UTF8.GetBytes(value + "\0"));

    /// <summary>Opens a nested attribute (NLA_F_NESTED is set); close it with <see cref="EndNested"/>.</summary>
    internal NetlinkMessage BeginNested(ushort type)
    {
        _nests.Push(_bytes.Count);
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)(type | 0x8000));
        return Raw(header);
    }

    internal NetlinkMessage EndNested()
    {
        int start = _nests.Pop();
        BinaryPrimitives.WriteUInt16LittleEndian(Slice(start, 2), (ushort)(_bytes.Count - start));
        return this;
    }

    internal byte[] ToArray(uint sequence)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Slice(0, 4), (uint)_bytes.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(Slice(6, 2), Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(Slice(8, 4), sequence);
        return [.. _bytes];
    }

    /// <summary>The attributes in <paramref name="data"/> (after a family header): type without flag bits, value.</summary>
    internal static IEnumerable<(ushort Type, byte[] Value)> Attributes(byte[] data, int start)
    {
        for (int at = start; at + 4 <= data.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at));
            ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at + 2)) & 0x3fff);
            if (length < 4 || at + length > data.Length) yield break;
            yield return (type, data.AsSpan(at + 4, length - 4).ToArray());
            at += (length + 3) & ~3;
        }
    }
}
