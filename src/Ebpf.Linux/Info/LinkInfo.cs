using System.Buffers.Binary;
using System.Text;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>What the kernel reports about a link (struct bpf_link_info), with the fields of the common link types.</summary>
public sealed record LinkInfo
{
    /// <summary>The link's type.</summary>
    public required LinkType Type { get; init; }
    /// <summary>The kernel's id.</summary>
    public required uint Id { get; init; }
    /// <summary>Id of the attached program.</summary>
    public required uint ProgramId { get; init; }
    /// <summary>Raw tracepoint links: the tracepoint's name.</summary>
    public string? TracepointName { get; init; }
    /// <summary>Tracing, cgroup, netns, tcx, netkit and sockmap links: the attach type.</summary>
    public AttachType? AttachType { get; init; }
    /// <summary>Tracing links: id of the target object (program or BTF); sockmap links: the map's id.</summary>
    public uint TargetObjectId { get; init; }
    /// <summary>Tracing links: the target's BTF type id.</summary>
    public uint TargetBtfId { get; init; }
    /// <summary>Cgroup links: the cgroup's id.</summary>
    public ulong CgroupId { get; init; }
    /// <summary>Netns links: the namespace's inode number.</summary>
    public uint NetnsInode { get; init; }
    /// <summary>XDP, tcx and netkit links: the interface.</summary>
    public int Ifindex { get; init; }
    /// <summary>The per-type part of the record as the kernel wrote it (48 bytes), for types not decoded here.</summary>
    public required byte[] Raw { get; init; }

    /// <summary>Reads the info of the link behind <paramref name="handle"/>.</summary>
    /// <exception cref="BpfException">The handle is not a link (EINVAL) or is closed.</exception>
    public static unsafe LinkInfo Get(SafeBpfHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        string subject = $"link {handle}";
        var r = new LinkInfoRecord();
        ObjectInfo.Get(handle, ref r, "get info of", subject);
        var type = (LinkType)r.Type;
        string? tpName = null;
        if (type == LinkType.RawTracepoint)
        {
            // raw_tracepoint { u64 tp_name; u32 tp_name_len; }: a second call with a buffer for the name.
            byte* name = stackalloc byte[256];
            var again = new LinkInfoRecord();
            BinaryPrimitives.WriteUInt64LittleEndian(new Span<byte>(again.Union, 48), Bpf.Ptr(name));
            BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(again.Union + 8, 40), 256);
            ObjectInfo.Get(handle, ref again, "get tracepoint name of", subject);
            var span = new ReadOnlySpan<byte>(name, 256);
            int end = span.IndexOf((byte)0);
            tpName = Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
        }
        byte[] raw = new ReadOnlySpan<byte>(r.Union, 48).ToArray();
        uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(offset));
        return type switch
        {
            LinkType.RawTracepoint => Base(r, raw) with { TracepointName = tpName },
            LinkType.Tracing => Base(r, raw) with { AttachType = (AttachType)U32(0), TargetObjectId = U32(4), TargetBtfId = U32(8) },
            LinkType.Cgroup => Base(r, raw) with { CgroupId = BinaryPrimitives.ReadUInt64LittleEndian(raw), AttachType = (AttachType)U32(8) },
            LinkType.Netns => Base(r, raw) with { NetnsInode = U32(0), AttachType = (AttachType)U32(4) },
            LinkType.Xdp => Base(r, raw) with { Ifindex = (int)U32(0) },
            LinkType.Tcx or LinkType.Netkit => Base(r, raw) with { Ifindex = (int)U32(0), AttachType = (AttachType)U32(4) },
            LinkType.SockMap => Base(r, raw) with { TargetObjectId = U32(0), AttachType = (AttachType)U32(4) },
            _ => Base(r, raw),
        };
    }

    private static LinkInfo Base(in LinkInfoRecord r, byte[] union) =>
        new() { Type = (LinkType)r.Type, Id = r.Id, ProgramId = r.ProgId, Raw = union };
}
