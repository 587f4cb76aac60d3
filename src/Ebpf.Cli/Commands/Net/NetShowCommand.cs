using System.CommandLine;
using System.Text;
using System.Text.Json;
using Ebpf.Cli.Output;
using Ebpf.Linux;
using Ebpf.Linux.Links;
using Ebpf.Linux.Netlink;

namespace Ebpf.Cli.Commands.Net;

/// <summary><c>ebpf net show [dev IF]</c>: the xdp, tc and flow_dissector programs of this network namespace.</summary>
internal static class NetShowCommand
{
    /// <summary>One row of the xdp section: an interface and a mode's program.</summary>
    private sealed record XdpEntry(NetworkInterface Device, IReadOnlyList<(string Mode, uint Id)> Programs, bool Multi);

    /// <summary>One row of the tc section: tcx programs (Link set) and cls_bpf filters (Name/Id).</summary>
    private sealed record TcEntry(NetworkInterface Device, string Kind, string? Name, uint Id, bool Tcx, uint ProgramFlags, uint LinkId, uint LinkFlags);

    /// <summary>Creates the command under <paramref name="name"/> ("show" or "list").</summary>
    public static Command Create(string name)
    {
        var args = new Argument<string[]>("ARGS") { Arity = ArgumentArity.ZeroOrMore, Description = "[dev IF]" };
        var command = new Command(name, """
            List the network programs of this network namespace as bpftool does: XDP programs per interface and mode,
            tc programs (tcx chains, then cls_bpf filters of clsact ingress/egress and the root qdisc) and the
            namespace's flow dissector. Run it in another namespace with nsenter --net=/var/run/netns/NAME.

            Examples:
              ebpf net show
              ebpf net show dev eth0 -p
            """) { args };
        command.SetGuardedAction(parse =>
        {
            string[] words = parse.GetValue(args) ?? [];
            int? only = null;
            if (words.Length > 0)
            {
                int index = 0;
                only = NetAttachTypes.ParseDevice(words, ref index).Ifindex;
                if (index < words.Length) throw new CliError($"unexpected '{words[index]}'");
            }
            List<NetworkInterface> devices = [.. NetworkInterface.List().Where(d => only is null || d.Ifindex == only)];
            List<XdpEntry> xdp = [.. devices.Select(Xdp).OfType<XdpEntry>()];
            List<TcEntry> tc = [.. devices.SelectMany(Tc)];
            uint[] flowDissector = FlowDissector();
            if (parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty))
                JsonOutput.Write(Console.Out, parse.GetValue(GlobalOptions.Pretty), w => WriteJson(w, xdp, tc, flowDissector));
            else if (OutputMode.From(parse).Terminal)
                HumanTable.Write("network programs", ["HOOK", "DEVICE", "MODE/KIND", "PROGRAM", "ID", "LINK"], Rows(xdp, tc, flowDissector));
            else
                Console.Out.Write(Plain(xdp, tc, flowDissector));
            return 0;
        });
        return command;
    }

    // bpftool names the modes "driver", "generic" and "offload", and lists them as multi_attachments when several are in use.
    private static XdpEntry? Xdp(NetworkInterface d) => d.XdpPrograms.Count == 0 ? null
        : new XdpEntry(d, [.. d.XdpPrograms.Select(p => (ModeName(p.Mode), p.ProgramId))], d.XdpPrograms.Count > 1);

    private static string ModeName(XdpAttachedMode mode) => mode switch
    {
        XdpAttachedMode.Native => "driver",
        XdpAttachedMode.Generic => "generic",
        _ => "offload",
    };

    private static IEnumerable<TcEntry> Tc(NetworkInterface d)
    {
        foreach (var (type, kind) in new[] { (AttachType.TcxIngress, "tcx/ingress"), (AttachType.TcxEgress, "tcx/egress") })
        {
            AttachedPrograms attached;
            try { attached = ProgramQuery.Interface(d.Ifindex, type); }
            catch (Exception e) when (e is BpfException or NotSupportedException) { continue; }   // no tcx in this kernel
            // Per-program and per-link flags are not reported by ProgramQuery; bpftool prints them as [] when zero.
            for (int i = 0; i < attached.ProgramIds.Count; i++)
                yield return new TcEntry(d, kind, ProgramName(attached.ProgramIds[i]), attached.ProgramIds[i], true,
                    0, i < attached.LinkIds.Count ? attached.LinkIds[i] : 0, 0);
        }
        foreach (var (parent, kind) in new[] { (TcFilterParent.Root, "root"), (TcFilterParent.ClsactIngress, "clsact/ingress"), (TcFilterParent.ClsactEgress, "clsact/egress") })
            foreach (TcBpfFilter f in TcBpfFilter.List(d.Ifindex, parent))
                yield return new TcEntry(d, kind, f.Name, f.ProgramId, false, 0, 0, 0);
    }

    private static string? ProgramName(uint id)
    {
        try
        {
            using var program = KernelProgram.OpenById(id);
            return program.Info().Name is { Length: > 0 } n ? n : null;
        }
        catch (BpfException) { return null; }
    }

    private static uint[] FlowDissector()
    {
        try { return [.. ProgramQuery.NetworkNamespace("/proc/self/ns/net", AttachType.FlowDissector).ProgramIds]; }
        catch (Exception e) when (e is BpfException or NotSupportedException) { return []; }   // kernels before 4.20 cannot query it
    }

    private static void WriteJson(Utf8JsonWriter w, List<XdpEntry> xdp, List<TcEntry> tc, uint[] flowDissector)
    {
        w.WriteStartArray();
        w.WriteStartObject();
        w.WriteStartArray("xdp");
        foreach (XdpEntry e in xdp)
        {
            w.WriteStartObject();
            w.WriteString("devname", e.Device.Name);
            w.WriteNumber("ifindex", e.Device.Ifindex);
            if (e.Multi) w.WriteStartArray("multi_attachments");
            foreach (var (mode, id) in e.Programs)
            {
                if (e.Multi) w.WriteStartObject();
                w.WriteString("mode", mode);
                w.WriteNumber("id", id);
                if (e.Multi) w.WriteEndObject();
            }
            if (e.Multi) w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("tc");
        foreach (TcEntry e in tc)
        {
            w.WriteStartObject();
            w.WriteString("devname", e.Device.Name);
            w.WriteNumber("ifindex", e.Device.Ifindex);
            w.WriteString("kind", e.Kind);
            if (e.Name is not null) w.WriteString("name", e.Name);
            if (e.Tcx)
            {
                w.WriteNumber("prog_id", e.Id);
                WriteFlags(w, "prog_flags", e.ProgramFlags);
                w.WriteNumber("link_id", e.LinkId);
                WriteFlags(w, "link_flags", e.LinkFlags);
            }
            else
            {
                w.WriteNumber("id", e.Id);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteObjects("flow_dissector", flowDissector, (w, id) => w.WriteNumber("id", id));
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteFlags(Utf8JsonWriter w, string name, uint flags)
    {
        w.WriteStartArray(name);
        for (int bit = 0; bit < 32; bit++)
            if ((flags & (1u << bit)) != 0) w.WriteNumberValue(1u << bit);
        w.WriteEndArray();
    }

    private static IEnumerable<string[]> Rows(List<XdpEntry> xdp, List<TcEntry> tc, uint[] flowDissector)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        foreach (XdpEntry e in xdp)
            foreach (var (mode, id) in e.Programs)
                yield return ["xdp", $"{e.Device.Name}({e.Device.Ifindex})", mode, ProgramName(id) ?? "", id.ToString(c), ""];
        foreach (TcEntry e in tc)
            yield return ["tc", $"{e.Device.Name}({e.Device.Ifindex})", e.Kind, e.Name ?? "", e.Id.ToString(c), e.LinkId == 0 ? "" : e.LinkId.ToString(c)];
        foreach (uint id in flowDissector)
            yield return ["flow_dissector", "", "", ProgramName(id) ?? "", id.ToString(c), ""];
    }

    private static string Plain(List<XdpEntry> xdp, List<TcEntry> tc, uint[] flowDissector)
    {
        var s = new StringBuilder("xdp:\n");
        foreach (XdpEntry e in xdp)
        {
            s.Append(e.Device.Name).Append('(').Append(e.Device.Ifindex).Append(')');
            foreach (var (mode, id) in e.Programs) s.Append(' ').Append(mode).Append(" id ").Append(id);
            s.Append('\n');
        }
        s.Append("\ntc:\n");
        foreach (TcEntry e in tc)
        {
            s.Append(e.Device.Name).Append('(').Append(e.Device.Ifindex).Append(") ").Append(e.Kind);
            if (e.Name is not null) s.Append(' ').Append(e.Name);
            if (e.Tcx)
            {
                s.Append(" prog_id ").Append(e.Id).Append(' ');
                if (e.LinkId != 0) s.Append("link_id ").Append(e.LinkId).Append(' ');
            }
            else
            {
                s.Append(" id ").Append(e.Id);
            }
            s.Append('\n');
        }
        s.Append("\nflow_dissector:\n");
        foreach (uint id in flowDissector) s.Append("id ").Append(id).Append('\n');
        return s.Append('\n').ToString();
    }
}
