using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;
using Ebpf.Linux.Links;

namespace Ebpf.Cli.Commands.Net;

/// <summary><c>ebpf net attach ATTACH_TYPE PROG dev IF [overwrite]</c>.</summary>
internal static class NetAttachCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var args = new Argument<string[]>("ARGS") { Arity = ArgumentArity.OneOrMore, Description = "ATTACH_TYPE PROG dev IF [overwrite]" };
        args.CompletionSources.Add(ctx => NetAttachTypes.Names.Select(n => new System.CommandLine.Completions.CompletionItem(n)));
        var command = new Command("attach", """
            Attach a program to an interface of this network namespace, the way bpftool does:
              xdp | xdpgeneric | xdpdrv | xdpoffload   by netlink (IFLA_XDP); the program stays attached after exit;
                                                      fails if one is attached unless 'overwrite' is given
              tcx_ingress | tcx_egress                 by BPF_PROG_ATTACH on the interface (Linux 6.6+): no link, no pin;
                                                      the program is appended to the hook's chain
            PROG := id ID | pinned FILE | tag TAG | name NAME

            Examples:
              ebpf net attach xdpgeneric pinned /sys/fs/bpf/xdp_prog dev eth0
              ebpf net attach xdp id 42 dev eth0 overwrite
              ebpf net attach tcx_ingress name tc_pass dev eth0
              nsenter --net=/var/run/netns/blue ebpf net attach xdp pinned /sys/fs/bpf/p dev veth0
            """) { args };
        command.SetGuardedAction(parse =>
        {
            string[] words = parse.GetValue(args) ?? [];
            if (words.Length < 5) throw new CliError("expected ATTACH_TYPE PROG dev IF [overwrite]");
            NetAttachType type = NetAttachTypes.Parse(words[0]);
            int index = 1;
            using KernelProgram program = ProgramArgument.Open(words, ref index);
            var (device, ifindex) = NetAttachTypes.ParseDevice(words, ref index);
            bool overwrite = false;
            if (index < words.Length && words[index] == "overwrite") { overwrite = true; index++; }
            if (index < words.Length) throw new CliError($"unexpected '{words[index]}': expected 'overwrite' or nothing");
            string what = $"attach {words[0]} program '{program.Name}' to interface {device}({ifindex})";
            try
            {
                if (type.IsTcx())
                {
                    if (overwrite) throw new CliError("'overwrite' is for XDP; tcx hooks hold a chain of programs (detach first to replace)");
                    // Before 6.6 this names tcx as missing (KernelFeatureMissingException) rather than a bare EINVAL.
                    ProgramAttachment.AttachToInterface(program.Handle, ifindex, type.TcxAttachType());
                }
                else
                {
                    if (program.Type != ProgramType.Xdp)
                        throw new CliError($"{what}: it is a {KernelEnumNames.Name(program.Type)} program, not an xdp one");
                    // Without 'overwrite' an attached program is not replaced (XDP_FLAGS_UPDATE_IF_NOEXIST), as in bpftool.
                    XdpNetlinkAttachment.AttachToInterface(program, ifindex, type.XdpMode(), replace: overwrite);
                }
            }
            catch (BpfException e) when (type.IsTcx())
            {
                throw AttachErrors.From(what, e);
            }
            catch (Exception e) when (!type.IsTcx() && AttachErrors.FromXdp(what, e) is { } error)
            {
                throw error;
            }
            if (parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty)) Console.Out.WriteLine("null");
            return 0;
        });
        return command;
    }
}
