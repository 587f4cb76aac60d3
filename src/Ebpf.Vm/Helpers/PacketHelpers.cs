using System.Buffers.Binary;

namespace Ebpf.Vm.Helpers;

/// <summary>
/// The socket-buffer helpers with the kernel's ids and results: reading and writing packet bytes at an offset from
/// <c>skb->data</c>, and the incremental IP and L4 checksum updates (RFC 1624) TC programs use after rewriting a header.
/// Out-of-range offsets answer -EFAULT, bad flags -EINVAL, as the kernel does.
/// </summary>
public static class PacketHelpers
{
    /// <summary>bpf_skb_store_bytes.</summary>
    public const int SkbStoreBytes = 9;
    /// <summary>bpf_l3_csum_replace.</summary>
    public const int L3CsumReplace = 10;
    /// <summary>bpf_l4_csum_replace.</summary>
    public const int L4CsumReplace = 11;
    /// <summary>bpf_skb_load_bytes.</summary>
    public const int SkbLoadBytes = 26;
    /// <summary>bpf_xdp_adjust_head.</summary>
    public const int XdpAdjustHead = 44;
    /// <summary>bpf_xdp_adjust_meta.</summary>
    public const int XdpAdjustMeta = 54;
    /// <summary>bpf_xdp_adjust_tail.</summary>
    public const int XdpAdjustTail = 65;

    // sizeof(struct xdp_frame), kept at the frame's start; sizeof(struct skb_shared_info) kept at its end (x86-64).
    private const int XdpFrameSize = 40, SharedInfoSize = 320, EthernetHeader = 14;

    private const ulong Efault = unchecked((ulong)-14L), Einval = unchecked((ulong)-22L);
    private const ulong HeaderFieldMask = 0xf, PseudoHeader = 1 << 4, MarkMangled0 = 1 << 5, MarkEnforce = 1 << 6;

    /// <summary>Adds the packet helpers to <paramref name="table"/>.</summary>
    public static HelperTable Register(HelperTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Register(SkbLoadBytes, static (c, _, offset, to, length, _) => LoadBytes(c, offset, to, length));
        table.Register(SkbStoreBytes, static (c, _, offset, from, length, flags) => StoreBytes(c, offset, from, length, flags));
        table.Register(L3CsumReplace, static (c, _, offset, from, to, flags) => CsumReplace(c, offset, from, to, flags, l4: false));
        table.Register(L4CsumReplace, static (c, _, offset, from, to, flags) => CsumReplace(c, offset, from, to, flags, l4: true));
        table.Register(XdpAdjustHead, static (c, _, offset, _, _, _) => AdjustHead(c, (int)offset));
        table.Register(XdpAdjustMeta, static (c, _, offset, _, _, _) => AdjustMeta(c, (int)offset));
        table.Register(XdpAdjustTail, static (c, _, offset, _, _, _) => AdjustTail(c, (int)offset));
        return table;
    }

    private static ulong LoadBytes(HelperContext c, ulong offset, ulong to, ulong length)
    {
        if (!c.TryGetPacket(out Span<byte> packet) || length == 0 || offset > 0xffff || length > (ulong)packet.Length || offset > (ulong)packet.Length - length) return Efault;
        packet.Slice((int)offset, (int)length).CopyTo(c.GetSpan(to, (int)length, VmMemoryAccess.Write));
        return 0;
    }

    private static ulong StoreBytes(HelperContext c, ulong offset, ulong from, ulong length, ulong flags)
    {
        const ulong RecomputeCsum = 1, InvalidateHash = 2;
        if ((flags & ~(RecomputeCsum | InvalidateHash)) != 0) return Einval;
        if (!c.TryGetPacket(out Span<byte> packet) || offset > 0xffff || length > (ulong)packet.Length || offset > (ulong)packet.Length - length) return Efault;
        c.GetSpan(from, (int)length, VmMemoryAccess.Read).CopyTo(packet.Slice((int)offset, (int)length));
        return 0;
    }

    // csum_replace2/4 on the 16-bit checksum at `offset`; size 0 adds `to` as a precomputed difference.
    private static ulong CsumReplace(HelperContext c, ulong offset, ulong from, ulong to, ulong flags, bool l4)
    {
        ulong allowed = l4 ? HeaderFieldMask | PseudoHeader | MarkMangled0 | MarkEnforce : HeaderFieldMask;
        if ((flags & ~allowed) != 0) return Einval;
        if (!c.TryGetPacket(out Span<byte> packet) || offset > 0xffff || offset > (ulong)packet.Length - 2 || packet.Length < 2) return Efault;
        Span<byte> field = packet.Slice((int)offset, 2);
        ushort sum = BinaryPrimitives.ReadUInt16LittleEndian(field);
        // A UDP checksum of 0 means "none": with BPF_F_MARK_MANGLED_0 it stays 0 (and becomes 0xffff if it would).
        if (l4 && (flags & MarkMangled0) != 0 && sum == 0) return 0;
        uint folded = (ushort)~sum;
        switch (flags & HeaderFieldMask)
        {
            case 0: folded = Add(folded, (uint)to); break;
            case 2: folded = Add(Add(folded, (ushort)~(ushort)from), (ushort)to); break;
            case 4: folded = Add(Add(Add(Add(folded, (ushort)~(ushort)from), (ushort)~(ushort)(from >> 16)), (ushort)to), (ushort)(to >> 16)); break;
            default: return Einval;
        }
        ushort result = (ushort)~Fold(folded);
        if (l4 && (flags & MarkMangled0) != 0 && result == 0) result = 0xffff;
        BinaryPrimitives.WriteUInt16LittleEndian(field, result);
        return 0;
    }

    // bpf_xdp_adjust_head: data moves by `offset` (the metadata with it), staying after the xdp_frame and the metadata
    // and at least an Ethernet header before data_end.
    private static unsafe ulong AdjustHead(HelperContext c, int offset)
    {
        if (!c.TryGetFrame(out Span<byte> frame, out Runtime.PacketWindow* w)) return Einval;
        long metaLength = w->Data - w->Meta, data = w->Data + (long)offset;
        if (data < XdpFrameSize + metaLength || data > w->DataEnd - (long)EthernetHeader) return Einval;
        if (metaLength > 0) frame.Slice((int)w->Meta, (int)metaLength).CopyTo(frame[(int)(w->Meta + offset)..]);
        w->Meta = (uint)(w->Meta + offset);
        w->Data = (uint)data;
        return 0;
    }

    // bpf_xdp_adjust_meta: data_meta moves by `offset`; the metadata is a multiple of 4 bytes, at most 32.
    private static unsafe ulong AdjustMeta(HelperContext c, int offset)
    {
        if (!c.TryGetFrame(out _, out Runtime.PacketWindow* w)) return Einval;
        long meta = w->Meta + (long)offset, length = w->Data - meta;
        if (meta < XdpFrameSize || meta > w->Data) return Einval;
        if ((length & 3) != 0 || length > 32) return unchecked((ulong)-13L);   // -EACCES
        w->Meta = (uint)meta;
        return 0;
    }

    // bpf_xdp_adjust_tail: data_end moves by `offset`, within the frame less its shared-info tail and at least an
    // Ethernet header after data; grown bytes are zeroed.
    private static unsafe ulong AdjustTail(HelperContext c, int offset)
    {
        if (!c.TryGetFrame(out Span<byte> frame, out Runtime.PacketWindow* w)) return Einval;
        long end = w->DataEnd + (long)offset;
        if (end > frame.Length - SharedInfoSize || end < w->Data + (long)EthernetHeader) return Einval;
        if (offset > 0) frame.Slice((int)w->DataEnd, offset).Clear();
        w->DataEnd = (uint)end;
        return 0;
    }

    private static uint Add(uint a, uint b) => Fold(a + (b & 0xffff) + (b >> 16));

    private static ushort Fold(uint sum)
    {
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)sum;
    }
}
