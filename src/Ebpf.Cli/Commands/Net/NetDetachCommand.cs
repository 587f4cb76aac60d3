using System.CommandLine;
using Ebpf.Cli.Output;
using Ebpf.Linux;
using Ebpf.Linux.Links;

namespace Ebpf.Cli.Commands.Net;

/// <summary><c>ebpf net detach ATTACH_TYPE dev IF</c>.</summary>
internal static class NetDetachCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var args = new Argument<string[]>("ARGS") { Arity = ArgumentArity.OneOrMore, Description = "ATTACH_TYPE dev IF" };
        args.CompletionSources.Add(ctx => NetAttachTypes.Names.Select(n => new System.CommandLine.Completions.CompletionItem(n)));
        var command = new Command("detach", """
            Detach the program of ATTACH_TYPE from an interface of this network namespace: the XDP program of that
            mode (netlink), or for tcx_ingress/tcx_egress the last program attached without a link.

            Examples:
              ebpf net detach xdpgeneric dev eth0
              ebpf net detach tcx_ingress dev eth0
            """) { args };
        command.SetGuardedAction(parse =>
        {
            string[] words = parse.GetValue(args) ?? [];
            if (words.Length < 3) throw new CliError("expected ATTACH_TYPE dev IF");
            NetAttachType type = NetAttachTypes.Parse(words[0]);
            int index = 1;
            var (device, ifindex) = NetAttachTypes.ParseDevice(words, ref index);
            if (index < words.Length) throw new CliError($"unexpected '{words[index]}'");
            string what = $"detach {words[0]} program from interface {device}({ifindex})";
            if (type.IsTcx())
            {
                try
                {
                    ProgramAttachment.DetachFromInterface(ifindex, type.TcxAttachType());
                }
                catch (BpfException e)
                {
                    throw AttachErrors.From(what, e);
                }
            }
            else
            {
                try
                {
                    XdpNetlinkAttachment.DetachFromInterface(ifindex, type.XdpMode());
                }
                catch (Exception e) when (AttachErrors.FromXdp(what, e) is { } error)
                {
                    throw error;
                }
            }
            if (parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty)) Console.Out.WriteLine("null");
            return 0;
        });
        return command;
    }
}
