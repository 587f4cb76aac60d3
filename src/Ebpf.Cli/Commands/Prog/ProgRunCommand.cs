using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Prog;

/// <summary><c>ebpf prog run PROG data_in FILE [data_out FILE [data_size_out L]] [ctx_in FILE [ctx_out FILE [ctx_size_out M]]] [repeat N]</c>.</summary>
internal static class ProgRunCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => WordsCommand.Create("run", "PROG data_in FILE [data_out FILE [data_size_out L]] [ctx_in FILE [ctx_out FILE [ctx_size_out M]]] [repeat N]", """
        Run a loaded program in the kernel on test input (BPF_PROG_TEST_RUN) and print its return value and the
        average duration. '-' as a file is standard input/output. Supported for the program types the kernel can
        test-run (xdp, tc, socket filters, flow dissector, raw tracepoints, syscall...).

        Examples:
          ebpf prog run pinned /sys/fs/bpf/xdp_drop data_in packet.bin
          ebpf prog run id 42 data_in packet.bin data_out - repeat 1000 -j
        """, Run);

    private static int Run(string[] args, OutputMode mode)
    {
        var words = new Words(args, "prog run");
        var (handle, info) = KernelLookup.Program(ProgArguments.Reference(words));
        using KernelProgram program = KernelProgram.FromHandle(handle);
        string? dataIn = null, dataOut = null, ctxIn = null, ctxOut = null;
        int? dataSizeOut = null, ctxSizeOut = null;
        int repeat = 1;
        while (!words.AtEnd)
        {
            string keyword = words.Next("a keyword");
            switch (keyword)
            {
                case "data_in": dataIn = words.Next("FILE"); break;
                case "data_out": dataOut = words.Next("FILE"); break;
                case "data_size_out": dataSizeOut = words.NextInt("data_size_out"); break;
                case "ctx_in": ctxIn = words.Next("FILE"); break;
                case "ctx_out": ctxOut = words.Next("FILE"); break;
                case "ctx_size_out": ctxSizeOut = words.NextInt("ctx_size_out"); break;
                case "repeat": repeat = words.NextInt("repeat"); break;
                default: throw new CliError($"prog run: unknown keyword '{keyword}' (expected data_in, data_out, data_size_out, ctx_in, ctx_out, ctx_size_out, repeat)");
            }
        }
        if (dataIn is null && ctxIn is null) throw new CliError("prog run: needs 'data_in FILE' or 'ctx_in FILE'");
        if (dataIn == "-" && ctxIn == "-") throw new CliError("prog run: data_in and ctx_in cannot both read standard input");
        byte[] data = dataIn is null ? [] : CommandRunner.ReadInput(dataIn);
        byte[] ctx = ctxIn is null ? [] : CommandRunner.ReadInput(ctxIn);
        TestRunResult result = program.TestRun(new TestRunOptions
        {
            Data = data, Context = ctx, Repeat = Math.Max(repeat, 1),
            DataOutSize = dataOut is null ? null : dataSizeOut ?? Math.Max(data.Length, 128) + 256,
            ContextOutSize = ctxOut is null ? null : ctxSizeOut ?? Math.Max(ctx.Length, 0),
        });
        Write(dataOut, result.Data, mode);
        Write(ctxOut, result.Context, mode);
        long nanoseconds = result.Duration.Ticks * 100;
        if (mode.Json)
        {
            JsonOutput.Write(Console.Out, mode.Pretty, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("retval", result.ReturnValue);
                w.WriteNumber("duration", nanoseconds);
                w.WriteEndObject();
            });
        }
        else
        {
            Console.Out.WriteLine($"Return value: {result.ReturnValue}, duration{(repeat > 1 ? " (average)" : "")}: {nanoseconds}ns");
        }
        return 0;
    }

    private static void Write(string? path, byte[] bytes, OutputMode mode)
    {
        if (path is null) return;
        if (path != "-")
        {
            File.WriteAllBytes(path, bytes);
            return;
        }
        if (mode.Json) return;   // bpftool keeps stdout for the JSON document
        Console.Out.WriteLine(HexText.Format(bytes).TrimEnd());
    }
}
