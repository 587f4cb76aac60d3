using System.CommandLine;
using System.Text;
using System.Text.Json;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Perf;

/// <summary><c>ebpf perf show|list</c>: BPF programs attached to perf events (tracepoints, kprobes, uprobes) and raw tracepoints, per process fd.</summary>
internal static class PerfCommand
{
    /// <summary>A process fd that runs a program.</summary>
    private sealed record Entry(int Pid, int Fd, TaskFdInfo Info);

    /// <summary>Creates the command group.</summary>
    public static Command Create() => new("perf", "List programs attached to perf events and raw tracepoints (bpftool perf).")
    {
        CreateList("show"), CreateList("list"),
    };

    private static Command CreateList(string name)
    {
        var command = new Command(name, """
            For every process fd that is a perf event or raw tracepoint with a BPF program (BPF_TASK_FD_QUERY):
            pid, fd, program id and the attach point (tracepoint name, kprobe function and offset, uprobe file and offset).

            Examples:
              ebpf perf list
              ebpf perf list -p
            """);
        command.SetGuardedAction(parse =>
        {
            var entries = new List<Entry>();
            // Programs run from perf events, and from raw tracepoints, which are links.
            foreach (ProcessFd fd in ProcessFds.All().Where(fd => fd.Target == "anon_inode:[perf_event]" || fd.BpfKind == BpfObjectKind.Link))
                if (TaskFdInfo.Query(fd.ProcessId, fd.Fd) is { } info) entries.Add(new Entry(fd.ProcessId, fd.Fd, info));
            if (parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty))
            {
                JsonOutput.Write(Console.Out, parse.GetValue(GlobalOptions.Pretty), w =>
                {
                    w.WriteStartArray();
                    foreach (Entry e in entries) WriteJson(w, e);
                    w.WriteEndArray();
                });
            }
            else if (OutputMode.From(parse).Terminal)
            {
                var c = System.Globalization.CultureInfo.InvariantCulture;
                HumanTable.Write("programs attached to perf events", ["PID", "COMM", "FD", "PROG", "TYPE", "ATTACH POINT"], entries.Select(e => new[]
                {
                    e.Pid.ToString(c), (ProcessFds.TryReadCommand(e.Pid, out string? comm) ? comm : ""), e.Fd.ToString(c), e.Info.ProgramId.ToString(c), TypeName(e.Info.Type),
                    AttachPoint(e),
                }));
            }
            else
            {
                var s = new StringBuilder();
                foreach (Entry e in entries) s.Append(Plain(e)).Append('\n');
                Console.Out.Write(s.ToString());
            }
            return 0;
        });
        return command;
    }

    private static string TypeName(TaskFdType type) => type switch
    {
        TaskFdType.RawTracepoint => "raw_tracepoint",
        TaskFdType.Tracepoint => "tracepoint",
        TaskFdType.Kprobe => "kprobe",
        TaskFdType.Kretprobe => "kretprobe",
        TaskFdType.Uprobe => "uprobe",
        TaskFdType.Uretprobe => "uretprobe",
        _ => "unknown",
    };

    private static void WriteJson(Utf8JsonWriter w, Entry e)
    {
        w.WriteStartObject();
        w.WriteNumber("pid", e.Pid);
        w.WriteNumber("fd", e.Fd);
        w.WriteNumber("prog_id", e.Info.ProgramId);
        w.WriteString("fd_type", TypeName(e.Info.Type));
        switch (e.Info.Type)
        {
            case TaskFdType.RawTracepoint or TaskFdType.Tracepoint:
                w.WriteString("tracepoint", e.Info.Name);
                break;
            case TaskFdType.Kprobe or TaskFdType.Kretprobe when e.Info.Name.Length > 0:
                w.WriteString("func", e.Info.Name);
                w.WriteNumber("offset", e.Info.ProbeOffset);
                break;
            case TaskFdType.Kprobe or TaskFdType.Kretprobe:
                w.WriteNumber("addr", e.Info.ProbeAddress);
                break;
            case TaskFdType.Uprobe or TaskFdType.Uretprobe:
                w.WriteString("filename", e.Info.Name);
                w.WriteNumber("offset", e.Info.ProbeOffset);
                break;
        }
        w.WriteEndObject();
    }

    private static string Plain(Entry e) => $"pid {e.Pid}  fd {e.Fd}: prog_id {e.Info.ProgramId}  {TypeName(e.Info.Type)}  {AttachPoint(e)}";

    private static string AttachPoint(Entry e) => e.Info.Type switch
    {
        TaskFdType.RawTracepoint or TaskFdType.Tracepoint => e.Info.Name,
        TaskFdType.Kprobe or TaskFdType.Kretprobe when e.Info.Name.Length > 0 => $"func {e.Info.Name}  offset {e.Info.ProbeOffset}",
        TaskFdType.Kprobe or TaskFdType.Kretprobe => $"addr {e.Info.ProbeAddress}",
        _ => $"filename {e.Info.Name}  offset {e.Info.ProbeOffset}",
    };
}
