using System.Buffers.Binary;
using System.Text;

namespace Ebpf.Linux.Netlink;

/// <summary>
/// The fixed family headers of the rtnetlink messages this project sends (struct ifinfomsg for links, struct tcmsg for
/// qdiscs and filters), and the readers for the attribute values the answers carry.
/// </summary>
internal static class RouteHeaders
{
    internal const int InterfaceLength = 16, TrafficControlLength = 20;

    /// <summary>struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index; u32 flags; u32 change; }.</summary>
    internal static byte[] Interface(int ifindex)
    {
        byte[] header = new byte[InterfaceLength];
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), ifindex);
        return header;
    }

    /// <summary>The index of an ifinfomsg answer.</summary>
    internal static int InterfaceIndex(byte[] answer) => BinaryPrimitives.ReadInt32LittleEndian(answer.AsSpan(4));

    /// <summary>struct tcmsg { u8 family; u8 pad1; u16 pad2; s32 ifindex; u32 handle; u32 parent; u32 info; }.</summary>
    internal static byte[] TrafficControl(int ifindex, uint handle, uint parent, uint info)
    {
        byte[] h = new byte[TrafficControlLength];
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(4), ifindex);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(8), handle);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(12), parent);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), info);
        return h;
    }

    /// <summary>The ifindex, handle, parent and info of a tcmsg answer.</summary>
    internal static (int Ifindex, uint Handle, uint Parent, uint Info) ReadTrafficControl(byte[] answer) =>
        (BinaryPrimitives.ReadInt32LittleEndian(answer.AsSpan(4)), BinaryPrimitives.ReadUInt32LittleEndian(answer.AsSpan(8)),
         BinaryPrimitives.ReadUInt32LittleEndian(answer.AsSpan(12)), BinaryPrimitives.ReadUInt32LittleEndian(answer.AsSpan(16)));

    /// <summary>A u32 attribute value; 0 when it is shorter (never from a well-formed answer).</summary>
    internal static uint U32(byte[] value) => value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(value) : 0;

    /// <summary>A NUL-terminated string attribute value.</summary>
    internal static string String(byte[] value)
    {
        int end = Array.IndexOf(value, (byte)0);
        return Encoding.UTF8.GetString(value, 0, end < 0 ? value.Length : end);
    }
}
