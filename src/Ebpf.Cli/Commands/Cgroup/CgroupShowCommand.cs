using System.CommandLine;
using System.Text;
using Ebpf.Cli.Output;

namespace Ebpf.Cli.Commands.Cgroup;

/// <summary><c>ebpf cgroup show CGROUP [effective]</c>.</summary>
internal static class CgroupShowCommand
{
    /// <summary>Creates the command under <paramref name="name"/>.</summary>
    public static Command Create(string name)
    {
        var args = new Argument<string[]>("ARGS") { Arity = ArgumentArity.OneOrMore, Description = "CGROUP [effective]" };
        var command = new Command(name, """
            List the programs attached to a cgroup (a directory of the cgroup v2 mount), for every cgroup attach type.
            'effective' also lists what the cgroup inherits from its ancestors (attach flags are then not reported).

            Examples:
              ebpf cgroup show /sys/fs/cgroup/system.slice
              ebpf cgroup show /sys/fs/cgroup/user.slice effective -j
            """) { args };
        command.SetGuardedAction(parse =>
        {
            string[] words = parse.GetValue(args) ?? [];
            bool effective = words.Length > 1 && words[1] == "effective";
            if (words.Length > (effective ? 2 : 1)) throw new CliError($"unexpected '{words[effective ? 2 : 1]}': expected 'effective' or nothing");
            var programs = CgroupPrograms.Query(words[0], effective);
            if (parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty))
            {
                JsonOutput.Write(Console.Out, parse.GetValue(GlobalOptions.Pretty), w =>
                {
                    w.WriteStartArray();
                    foreach (var p in programs) CgroupPrograms.WriteJson(w, p);
                    w.WriteEndArray();
                });
            }
            else if (OutputMode.From(parse).Terminal)
            {
                HumanTable.Write($"programs of cgroup {words[0]}", ["ID", "ATTACH TYPE", "FLAGS", "NAME"], programs.Select(p => new[]
                {
                    p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ebpf.KernelEnumNames.Name(p.Type), p.Flags ?? "", p.Name,
                }));
            }
            else
            {
                var s = new StringBuilder();
                s.Append(CgroupPrograms.Header(effective));
                CgroupPrograms.AppendPlain(s, programs, indent: false);
                Console.Out.Write(s.ToString());
            }
            return 0;
        });
        return command;
    }
}
