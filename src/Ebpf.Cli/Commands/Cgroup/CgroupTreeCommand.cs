using System.CommandLine;
using System.Text;
using Ebpf.Cli.Output;

namespace Ebpf.Cli.Commands.Cgroup;

/// <summary><c>ebpf cgroup tree [CGROUP_ROOT] [effective]</c>.</summary>
internal static class CgroupTreeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var args = new Argument<string[]>("ARGS") { Arity = ArgumentArity.ZeroOrMore, Description = "[CGROUP_ROOT] [effective]" };
        var command = new Command("tree", """
            Walk a cgroup v2 hierarchy (default: the cgroup2 mount) and list, for every cgroup with programs, the
            programs attached to it.

            Examples:
              ebpf cgroup tree
              ebpf cgroup tree /sys/fs/cgroup/system.slice effective -p
            """) { args };
        command.SetGuardedAction(parse =>
        {
            var words = (parse.GetValue(args) ?? []).ToList();
            bool effective = words.Remove("effective");
            if (words.Count > 1) throw new CliError($"unexpected '{words[1]}': expected CGROUP_ROOT and/or 'effective'");
            string root = words.Count == 1 ? words[0] : FindCgroup2Mount();
            if (!Directory.Exists(root)) throw new CliError($"can't open cgroup root {root}: no such directory");
            var cgroups = new List<(string Path, List<CgroupPrograms.Attached> Programs, int Level)>();
            Walk(root, 0, effective, cgroups);
            if (parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty))
            {
                JsonOutput.Write(Console.Out, parse.GetValue(GlobalOptions.Pretty), w =>
                {
                    w.WriteStartArray();
                    foreach (var (path, programs, _) in cgroups)
                    {
                        w.WriteStartObject();
                        w.WriteString("cgroup", path);
                        w.WriteStartArray("programs");
                        foreach (var p in programs) CgroupPrograms.WriteJson(w, p);
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                });
                return 0;
            }
            var s = new StringBuilder("CgroupPath\n").Append(CgroupPrograms.Header(effective));
            foreach (var (path, programs, level) in cgroups)
            {
                s.Append(path).Append('\n');
                CgroupPrograms.AppendPlain(s, programs, indent: level > 0);
            }
            Console.Out.Write(s.ToString());
            return 0;
        });
        return command;
    }

    private static void Walk(string path, int level, bool effective, List<(string, List<CgroupPrograms.Attached>, int)> found)
    {
        List<CgroupPrograms.Attached> programs;
        try { programs = CgroupPrograms.Query(path, effective); }
        catch (CliError) { return; }   // removed while walking
        if (programs.Count > 0) found.Add((path, programs, level));
        IEnumerable<string> children;
        try { children = Directory.EnumerateDirectories(path).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (string child in children)
            if (new FileInfo(child).LinkTarget is null) Walk(child, level + 1, effective, found);
    }

    private static string FindCgroup2Mount() => Linux.Links.Cgroup.TryFindMount(out string? root) ? root
        : throw new CliError("no cgroup v2 mount found in /proc/mounts: name the root (mount -t cgroup2 none /sys/fs/cgroup)");
}
