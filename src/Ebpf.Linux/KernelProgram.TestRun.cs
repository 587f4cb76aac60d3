using Ebpf.Linux.Features;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

public sealed partial class KernelProgram
{
    /// <summary>Runs the program in the kernel on the given data and context (BPF_PROG_TEST_RUN).</summary>
    /// <exception cref="KernelFeatureMissingException">The program type cannot be test-run (ENOTSUPP).</exception>
    /// <exception cref="BpfException">EINVAL: data or context the program type refuses; ENOSPC: output larger than the room given.</exception>
    public unsafe TestRunResult TestRun(TestRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        byte[] dataOut = new byte[options.DataOutSize ?? (options.Data.IsEmpty ? 0 : options.Data.Length + 4096)];
        if (Type == ProgramType.Syscall)
        {
            // Syscall programs refuse ctx_out and repeat: the kernel writes the context back into ctx_in instead,
            // so ctx_in is a private copy here.
            byte[] context = options.Context.ToArray();
            var run = Run(options with { Repeat = 0 }, options.Data.Span, dataOut, context, default);
            return new TestRunResult { ReturnValue = run.Retval, Duration = TimeSpan.Zero, Data = [], Context = context };
        }
        byte[] ctxOut = new byte[options.ContextOutSize ?? options.Context.Length];
        var attr = Run(options, options.Data.Span, dataOut, options.Context.Span, ctxOut);
        return new TestRunResult
        {
            ReturnValue = attr.Retval,
            Duration = TimeSpan.FromTicks(attr.Duration / 100),
            Data = dataOut.AsSpan(0, (int)Math.Min(attr.DataSizeOut, (uint)dataOut.Length)).ToArray(),
            Context = ctxOut.AsSpan(0, (int)Math.Min(attr.CtxSizeOut, (uint)ctxOut.Length)).ToArray(),
        };
    }

    /// <summary>Runs the program once on <paramref name="data"/> without allocating; returns its return value.</summary>
    /// <param name="data">The input packet.</param>
    /// <param name="dataOut">Room for the output packet.</param>
    /// <param name="dataOutLength">Bytes of <paramref name="dataOut"/> written.</param>
    /// <param name="repeat">How many runs to average <paramref name="duration"/> over.</param>
    /// <param name="duration">Mean duration of one run.</param>
    public unsafe uint TestRun(ReadOnlySpan<byte> data, Span<byte> dataOut, out int dataOutLength, out TimeSpan duration, int repeat = 1)
    {
        var attr = Run(new TestRunOptions { Repeat = repeat }, data, dataOut, default, default);
        dataOutLength = (int)Math.Min(attr.DataSizeOut, (uint)dataOut.Length);
        duration = TimeSpan.FromTicks(attr.Duration / 100);
        return attr.Retval;
    }

    private unsafe TestRunAttr Run(TestRunOptions o, ReadOnlySpan<byte> data, Span<byte> dataOut, ReadOnlySpan<byte> ctx, Span<byte> ctxOut)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(o.Repeat);
        fixed (byte* di = data, dout = dataOut, ci = ctx, cout = ctxOut)
        {
            var attr = new TestRunAttr
            {
                DataIn = data.IsEmpty ? 0 : Bpf.Ptr(di),
                DataSizeIn = (uint)data.Length,
                DataOut = dataOut.IsEmpty || data.IsEmpty ? 0 : Bpf.Ptr(dout),
                DataSizeOut = data.IsEmpty ? 0 : (uint)dataOut.Length,
                CtxIn = ctx.IsEmpty ? 0 : Bpf.Ptr(ci),
                CtxSizeIn = (uint)ctx.Length,
                CtxOut = ctxOut.IsEmpty ? 0 : Bpf.Ptr(cout),
                CtxSizeOut = (uint)ctxOut.Length,
                Repeat = (uint)o.Repeat,
                Flags = o.Flags,
                Cpu = (uint)o.Cpu,
                BatchSize = (uint)o.BatchSize,
            };
            int r;
            using (Handle.Lease(out attr.ProgFd))
                r = Bpf.Invoke(BpfCommand.ProgTestRun, ref attr);
            if (r == -(int)Errno.ENOSPC)
                throw new BpfException($"test run of program {Describe()}: {Errno.ENOSPC.Describe()}; output needs {attr.DataSizeOut} data bytes " +
                    $"(room: {dataOut.Length}) and {attr.CtxSizeOut} context bytes (room: {ctxOut.Length})", Errno.ENOSPC);
            if (r == -(int)Errno.ENOTSUPP || r == -(int)Errno.EOPNOTSUPP)
                throw new KernelFeatureMissingException($"BPF_PROG_TEST_RUN for {KernelNames.Of(Type)}", $"test run of program {Describe()}: {((Errno)(-r)).Describe()}");
            BpfErrors.Check(r, "test run of program", Describe());
            return attr;
        }
    }
}
