using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;
using Ebpf.Linux.Links;

namespace Ebpf.Cli.Commands.Cgroup;

/// <summary><c>ebpf cgroup attach CGROUP ATTACH_TYPE PROG [multi|override]</c> and <c>detach CGROUP ATTACH_TYPE PROG</c>.</summary>
internal static class CgroupAttachCommand
{

    /// <summary>Creates "attach" or "detach".</summary>
    public static Command Create(string name)
    {
        bool attach = name == "attach";
        var args = new Argument<string[]>("ARGS") { Arity = ArgumentArity.OneOrMore, Description = attach ? "CGROUP ATTACH_TYPE PROG [multi|override]" : "CGROUP ATTACH_TYPE PROG" };
        var command = new Command(name, attach
            ? """
              Attach a program to a cgroup (BPF_PROG_ATTACH, without a link: it stays attached after exit).
              ATTACH_FLAGS: 'multi' (several programs on the hook), 'override' (descendants may override).
              PROG := id ID | pinned FILE | tag TAG | name NAME

              Examples:
                ebpf cgroup attach /sys/fs/cgroup/test cgroup_inet_egress pinned /sys/fs/bpf/egress multi
              """
            : """
              Detach a program from a cgroup hook.

              Examples:
                ebpf cgroup detach /sys/fs/cgroup/test cgroup_inet_egress pinned /sys/fs/bpf/egress
              """) { args };
        command.SetGuardedAction(parse =>
        {
            string[] words = parse.GetValue(args) ?? [];
            if (words.Length < 4) throw new CliError($"expected {args.Description}");
            string cgroup = words[0];
            AttachType type = CgroupPrograms.ParseType(words[1]);
            int index = 2;
            using KernelProgram program = ProgramArgument.Open(words, ref index);
            var flags = CgroupAttachFlags.None;
            for (; index < words.Length; index++)
            {
                flags |= (attach, words[index]) switch
                {
                    (true, "multi") => CgroupAttachFlags.AllowMulti,
                    (true, "override") => CgroupAttachFlags.AllowOverride,
                    _ => throw new CliError($"unexpected '{words[index]}'{(attach ? ": expected 'multi' or 'override'" : "")}"),
                };
            }
            string what = $"{name} program '{program.Name}' {(attach ? "to" : "from")} cgroup {cgroup} ({words[1]})";
            try
            {
                if (attach) ProgramAttachment.AttachToCgroup(program.Handle, cgroup, type, flags);
                else ProgramAttachment.DetachFromCgroup(program.Handle, cgroup, type);
            }
            catch (BpfException e)
            {
                throw AttachErrors.From(what, e);
            }
            if (parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty)) Console.Out.WriteLine("null");
            return 0;
        });
        return command;
    }
}
