using System.Text;
using System.Text.Json;
using Ebpf.Cli.Output;
using Ebpf.Linux;
using Ebpf.Linux.Links;

namespace Ebpf.Cli.Commands.Cgroup;

/// <summary>The programs attached to one cgroup, queried per attach type (BPF_PROG_QUERY), printed as bpftool prints them.</summary>
internal static class CgroupPrograms
{
    private const uint AllowOverride = 1, AllowMulti = 2;

    /// <summary>One attached program.</summary>
    internal sealed record Attached(uint Id, AttachType Type, string? Flags, string Name, uint AttachBtfObjectId, uint AttachBtfId);

    /// <summary>The attach types that take cgroups, with bpftool's names, in enum order (the order bpftool queries them).</summary>
    public static readonly AttachType[] CgroupTypes = [.. Enum.GetValues<AttachType>().Where(t => KernelEnumNames.Name(t).StartsWith("cgroup_", StringComparison.Ordinal) || t == AttachType.LsmCgroup).Order()];

    /// <summary>Queries every cgroup attach type of the cgroup directory <paramref name="path"/>.</summary>
    /// <exception cref="CliError">The cgroup cannot be opened.</exception>
    public static List<Attached> Query(string path, bool effective)
    {
        if (!Directory.Exists(path)) throw new CliError($"can't open cgroup {path}: no such directory (a directory under the cgroup v2 mount, e.g. /sys/fs/cgroup)");
        var result = new List<Attached>();
        foreach (AttachType type in CgroupTypes)
        {
            AttachedPrograms attached;
            try { attached = ProgramQuery.Cgroup(path, type, effective); }
            catch (BpfException) { continue; }   // an attach type this kernel does not know
            catch (DirectoryNotFoundException) { throw new CliError($"can't open cgroup {path}: it was removed"); }
            foreach (uint id in attached.ProgramIds)
            {
                var (programName, btfObject, btfId) = ProgramDetails(id);
                // The kernel reports no flags for effective queries, and bpftool prints none.
                result.Add(new Attached(id, type, effective ? null : FlagsName((uint)attached.AttachFlags), programName, btfObject, btfId));
            }
        }
        return result;
    }

    /// <summary>Parses bpftool's ATTACH_TYPE for cgroups (the libbpf name, or bpftool's short legacy name).</summary>
    public static AttachType ParseType(string word)
    {
        foreach (AttachType t in CgroupTypes)
            if (KernelEnumNames.Name(t) == word || LegacyName(t) == word) return t;
        throw new CliError($"invalid attach type '{word}': expected one of {string.Join(", ", CgroupTypes.Select(KernelEnumNames.Name))}");
    }

    /// <summary>One program as a JSON object.</summary>
    public static void WriteJson(Utf8JsonWriter w, Attached p)
    {
        w.WriteStartObject();
        w.WriteNumber("id", p.Id);
        w.WriteString("attach_type", KernelEnumNames.Name(p.Type));
        if (p.Flags is not null) w.WriteString("attach_flags", p.Flags);
        w.WriteString("name", p.Name);
        w.WriteString("attach_btf_name", "");   // lsm_cgroup programs' BTF function name: not resolved yet (docs/COMPATIBILITY.md)
        w.WriteNumber("attach_btf_obj_id", p.AttachBtfObjectId);
        w.WriteNumber("attach_btf_id", p.AttachBtfId);
        w.WriteEndObject();
    }

    /// <summary>bpftool's header line of the plain listing (no flags column for effective queries).</summary>
    public static string Header(bool effective) => effective
        ? $"{"ID",-8} {"AttachType",-15} {"Name",-15}\n"
        : $"{"ID",-8} {"AttachType",-15} {"AttachFlags",-15} {"Name",-15}\n";

    /// <summary>One program as bpftool's plain line, indented below a cgroup path in a tree.</summary>
    public static string Plain(Attached p, bool indent)
    {
        string prefix = indent ? "    " : "", id = p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), type = KernelEnumNames.Name(p.Type);
        // The last column is the attach BTF name, empty for every program but lsm_cgroup ones.
        return p.Flags is null ? $"{prefix}{id,-8} {type,-15} {p.Name,-15} {"",-15}\n" : $"{prefix}{id,-8} {type,-15} {p.Flags,-15} {p.Name,-15} {"",-15}\n";
    }

    /// <summary>Writes a plain listing of <paramref name="programs"/>.</summary>
    public static void AppendPlain(StringBuilder s, IEnumerable<Attached> programs, bool indent)
    {
        foreach (Attached p in programs) s.Append(Plain(p, indent));
    }

    private static string FlagsName(uint flags) => flags switch
    {
        AllowMulti => "multi",
        AllowOverride => "override",
        0 => "",
        _ => "unknown",
    };

    private static string? LegacyName(AttachType t) => t switch
    {
        AttachType.CgroupInetIngress => "ingress",
        AttachType.CgroupInetEgress => "egress",
        AttachType.CgroupInetSockCreate => "sock_create",
        AttachType.CgroupSockOps => "sock_ops",
        AttachType.CgroupDevice => "device",
        AttachType.CgroupSysctl => "sysctl",
        _ => null,
    };

    private static (string Name, uint BtfObject, uint BtfId) ProgramDetails(uint id)
    {
        try
        {
            using var program = KernelProgram.OpenById(id);
            ProgramInfo info = program.Info();
            return (info.FullName, info.AttachBtfObjectId, info.AttachBtfId);
        }
        catch (BpfException) { return ("", 0, 0); }
    }
}
