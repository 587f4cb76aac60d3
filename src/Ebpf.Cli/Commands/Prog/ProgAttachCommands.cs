using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Commands.Map;
using Ebpf.Cli.Output;
using Ebpf.Linux;
using Ebpf.Linux.Links;

namespace Ebpf.Cli.Commands.Prog;

/// <summary><c>ebpf prog attach|detach PROG ATTACH_TYPE [MAP]</c> (BPF_PROG_ATTACH: sockmap verdicts, flow dissector).</summary>
internal static class ProgAttachCommands
{
    private static readonly Dictionary<string, AttachType> s_types = new(StringComparer.Ordinal)
    {
        ["sk_msg_verdict"] = AttachType.SkMsgVerdict,
        ["sk_skb_verdict"] = AttachType.SkSkbVerdict,
        ["sk_skb_stream_verdict"] = AttachType.SkSkbStreamVerdict,
        ["sk_skb_stream_parser"] = AttachType.SkSkbStreamParser,
        ["flow_dissector"] = AttachType.FlowDissector,
    };

    private const string Syntax = "PROG ATTACH_TYPE [MAP]   ATTACH_TYPE := sk_msg_verdict | sk_skb_verdict | sk_skb_stream_verdict | sk_skb_stream_parser | flow_dissector";

    /// <summary><c>prog attach</c>.</summary>
    public static Command Attach() => WordsCommand.Create("attach", Syntax, """
        Attach a program to a sockmap/sockhash (sk_msg and sk_skb verdicts, stream parser) or, for flow_dissector,
        to the current network namespace (no MAP). It stays attached until 'prog detach'.

        Examples:
          ebpf prog attach pinned /sys/fs/bpf/verdict sk_skb_stream_verdict pinned /sys/fs/bpf/sockmap
          ebpf prog attach id 42 flow_dissector
        """, (args, _) => Run(args, attach: true));

    /// <summary><c>prog detach</c>.</summary>
    public static Command Detach() => WordsCommand.Create("detach", Syntax, """
        Detach a program attached with 'prog attach'.

        Examples:
          ebpf prog detach pinned /sys/fs/bpf/verdict sk_skb_stream_verdict pinned /sys/fs/bpf/sockmap
          ebpf prog detach id 42 flow_dissector
        """, (args, _) => Run(args, attach: false));

    private static int Run(string[] args, bool attach)
    {
        string command = attach ? "prog attach" : "prog detach";
        var words = new Words(args, command);
        var (program, info) = KernelLookup.Program(ProgArguments.Reference(words));
        using (program)
        {
            string typeName = words.Next("ATTACH_TYPE");
            if (!s_types.TryGetValue(typeName, out AttachType type))
                throw new CliError($"{command}: unknown attach type '{typeName}'; expected {string.Join(", ", s_types.Keys)}");
            if (type == AttachType.FlowDissector)
            {
                words.End();
                if (attach) ProgramAttachment.AttachFlowDissector(program);
                else ProgramAttachment.DetachFlowDissector(program);
                return 0;
            }
            if (words.AtEnd) throw new CliError($"{command}: {typeName} needs the sockmap or sockhash: MAP := id ID | pinned FILE | name NAME");
            var (map, _) = KernelLookup.Map(MapArguments.Reference(words));
            using (map)
            {
                words.End();
                if (attach) ProgramAttachment.Attach(program, map, type);
                else ProgramAttachment.Detach(program, map, type);
            }
            return 0;
        }
    }
}
