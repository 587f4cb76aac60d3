using System.CommandLine;
using System.Globalization;
using Ebpf.Cli.Output;
using Ebpf.Linux.Events;

namespace Ebpf.Cli.Commands;

/// <summary><c>ebpf prog tracelog</c>: prints the kernel's trace_pipe (bpf_trace_printk output) until Ctrl-C.</summary>
internal static class ProgTracelogCommand
{
    /// <summary>Creates the <c>tracelog</c> command (registered under <c>prog</c>).</summary>
    public static Command Create()
    {
        var count = new Option<long?>("--count") { Description = "Stop after this many lines" };
        var timeout = new Option<double?>("--timeout") { Description = "Stop after this many seconds" };
        var grep = new Option<string?>("--grep") { Description = "Only lines whose message contains this text" };
        var command = new Command("tracelog", """
            Print what BPF programs write with bpf_trace_printk, read from the kernel's trace_pipe (tracefs, or its
            debugfs mount), until Ctrl-C. With -j every line is a JSON object with task, pid, cpu, timestamp, function
            and message. Reading trace_pipe consumes the lines: other readers do not see them.

            Examples:
              ebpf prog tracelog
              ebpf prog tracelog -j --grep my_marker --count 10
            """) { count, timeout, grep };
        command.SetGuardedAction(parse =>
        {
            bool json = parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty);
            long limit = parse.GetValue(count) ?? long.MaxValue;
            string? filter = parse.GetValue(grep);
            using var stop = new StopSignal(parse.GetValue(timeout));
            using var reader = new TracePipeReader();
            long printed = 0;
            try
            {
                Task.Run(async () =>
                {
                    await foreach (string line in reader.ReadLinesAsync(stop.Token).ConfigureAwait(false))
                    {
                        TraceLine.TryParse(line, out TraceLine? parsed);
                        if (filter is not null && !(parsed?.Message ?? line).Contains(filter, StringComparison.Ordinal)) continue;
                        if (json && parsed is not null) JsonOutput.Write(Console.Out, false, w => WriteJson(w, parsed));
                        else if (!json) Console.Out.WriteLine(line);
                        else continue;
                        if (++printed >= limit) break;
                    }
                }).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or --timeout: a normal end
            }
            return 0;
        });
        return command;
    }

    private static void WriteJson(System.Text.Json.Utf8JsonWriter w, TraceLine l)
    {
        w.WriteStartObject();
        w.WriteString("task", l.Task);
        w.WriteNumber("pid", l.Pid);
        w.WriteNumber("cpu", l.Cpu);
        w.WriteString("timestamp", l.Timestamp.ToString("0.000000", CultureInfo.InvariantCulture));
        w.WriteString("function", l.Function);
        w.WriteString("message", l.Message);
        w.WriteEndObject();
    }
}
