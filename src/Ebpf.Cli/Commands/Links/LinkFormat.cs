using System.Text;
using System.Text.Json;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Links;

/// <summary>A link as <c>bpftool link show</c> prints it: JSON fields and plain text, per link type.</summary>
internal static class LinkFormat
{
    /// <summary>Writes one link object: id, type, prog_id, the type's fields, then the holding processes.</summary>
    public static void WriteJson(Utf8JsonWriter w, LinkInfo link, IReadOnlyList<ObjectHolder> pids)
    {
        w.WriteStartObject();
        w.WriteNumber("id", link.Id);
        w.WriteString("type", KernelEnumNames.Name(link.Type));
        w.WriteNumber("prog_id", link.ProgramId);
        switch (link.Type)
        {
            case LinkType.RawTracepoint:
                w.WriteString("tp_name", link.TracepointName);
                break;
            case LinkType.Tracing:
                w.WriteString("prog_type", ProgramTypeName(link.ProgramId));
                w.WriteString("attach_type", AttachName(link.AttachType));
                break;
            case LinkType.Cgroup:
                w.WriteNumber("cgroup_id", link.CgroupId);
                w.WriteString("attach_type", AttachName(link.AttachType));
                break;
            case LinkType.Netns:
                w.WriteNumber("netns_ino", link.NetnsInode);
                w.WriteString("attach_type", AttachName(link.AttachType));
                break;
            case LinkType.Xdp:
                w.WriteNumber("ifindex", link.Ifindex);
                break;
            case LinkType.Tcx or LinkType.Netkit:
                w.WriteString("devname", DeviceName(link.Ifindex));
                w.WriteNumber("ifindex", link.Ifindex);
                w.WriteString("attach_type", AttachName(link.AttachType));
                break;
        }
        if (pids.Count > 0)
        {
            w.WriteObjects("pids", pids, (w, holder) =>
            {
                w.WriteNumber("pid", holder.ProcessId);
                w.WriteString("comm", holder.Command);
            });
        }
        w.WriteEndObject();
    }

    /// <summary>The plain text bpftool prints: "ID: TYPE  prog ID  " then tab-indented detail lines.</summary>
    public static string Plain(LinkInfo link, IReadOnlyList<ObjectHolder> pids)
    {
        var s = new StringBuilder();
        s.Append(link.Id).Append(": ").Append(KernelEnumNames.Name(link.Type)).Append("  prog ").Append(link.ProgramId).Append("  ");
        switch (link.Type)
        {
            case LinkType.RawTracepoint:
                s.Append("\n\ttp '").Append(link.TracepointName).Append("'  ");
                break;
            case LinkType.Tracing:
                s.Append("\n\tprog_type ").Append(ProgramTypeName(link.ProgramId)).Append("  attach_type ").Append(AttachName(link.AttachType)).Append("  ");
                break;
            case LinkType.Cgroup:
                s.Append("\n\tcgroup_id ").Append(link.CgroupId).Append("  attach_type ").Append(AttachName(link.AttachType)).Append("  ");
                break;
            case LinkType.Netns:
                s.Append("\n\tnetns_ino ").Append(link.NetnsInode).Append("  attach_type ").Append(AttachName(link.AttachType)).Append("  ");
                break;
            case LinkType.Xdp:
                s.Append("\n\tifindex ").Append(link.Ifindex).Append("  ");
                break;
            case LinkType.Tcx or LinkType.Netkit:
                s.Append("\n\tifindex ").Append(DeviceName(link.Ifindex)).Append('(').Append(link.Ifindex).Append(")  attach_type ").Append(AttachName(link.AttachType)).Append("  ");
                break;
        }
        if (pids.Count > 0)
            s.Append("\n\tpids ").Append(string.Join(", ", pids));
        return s.Append('\n').ToString();
    }

    private static string AttachName(AttachType? type) => type is { } t ? KernelEnumNames.Name(t) : "unspec";

    private static string ProgramTypeName(uint programId)
    {
        try
        {
            using var program = KernelProgram.OpenById(programId);
            return KernelEnumNames.Name(program.Type);
        }
        catch (BpfException) { return "unknown"; }
    }

    /// <summary>The interface's name in this namespace, as if_indextoname gives it.</summary>
    internal static string DeviceName(int ifindex)
    {
        if (ifindex == 0) return "(detached)";
        try { return Linux.Netlink.NetworkInterface.Get(ifindex).Name; }
        catch (BpfException e) when (e.Errno == Errno.ENODEV) { return "(unknown)"; }   // in another network namespace
    }
}
