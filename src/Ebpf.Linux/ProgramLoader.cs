using System.Text;
using Ebpf.Asm;
using Ebpf.Linux.Features;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux;

/// <summary>
/// BPF_PROG_LOAD with a verifier log that is never cut off: when the log does not fit, the load is repeated with the
/// size the kernel asks for (Linux 6.4+ reports it) or twice the buffer, up to the kernel's 1 GiB limit.
/// </summary>
public static class ProgramLoader
{
    /// <summary>The largest log buffer the kernel accepts (UINT_MAX &gt;&gt; 2).</summary>
    public const int MaxLogSize = (int)(uint.MaxValue >> 2);

    /// <summary>Loads a program.</summary>
    /// <exception cref="BpfVerifierException">The verifier rejected the program; the exception holds the whole log.</exception>
    /// <exception cref="KernelFeatureMissingException">The kernel lacks the program type.</exception>
    /// <exception cref="UnauthorizedAccessException">No CAP_BPF (or a capability the program type needs).</exception>
    /// <exception cref="BpfException">Another refusal (E2BIG: too many instructions, EINVAL: bad attributes...).</exception>
    public static KernelProgram Load(ProgramLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Instructions.IsEmpty) throw new ArgumentException("a program needs at least one instruction", nameof(options));
        if (options.AttachProgram is not null && options.AttachBtfObject is not null)
            throw new ArgumentException("AttachProgram and AttachBtfObject share one attribute: set at most one", nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InitialLogSize, 128);
        Libc.TryRaiseMemlockLimit();
        string name = ObjectName.Validate(options.Name, nameof(options));
        options = WithAttachBtfId(options);

        VerifierLogLevel level = options.LogLevel;
        int logSize = level == VerifierLogLevel.None ? 0 : options.InitialLogSize;
        while (true)
        {
            byte[] log = logSize == 0 ? [] : GC.AllocateUninitializedArray<byte>(logSize);
            int r = LoadOnce(options, name, level, log, out uint trueSize);
            if (r >= 0)
                return new KernelProgram(SafeBpfHandle.FromKernel(r), options.Type, name, options.ExpectedAttachType, level == 0 ? null : Decode(log));
            var errno = (Errno)(-r);
            if (errno == Errno.ENOSPC && logSize > 0 && logSize < MaxLogSize)
            {
                // 6.4+: ENOSPC says the log did not fit (even when the program verified); log_true_size is what it needs.
                logSize = trueSize > logSize ? (int)Math.Min(trueSize, (uint)MaxLogSize) : (int)Math.Min((long)logSize * 2, MaxLogSize);
                continue;
            }
            if (level == VerifierLogLevel.None && errno is Errno.EACCES or Errno.EINVAL or Errno.E2BIG or Errno.EFAULT)
            {
                // Loaded without a log for speed: load again with one to say why.
                level = VerifierLogLevel.Basic;
                logSize = options.InitialLogSize;
                continue;
            }
            throw Failure(options, name, errno, Decode(log), truncated: errno == Errno.ENOSPC);
        }
    }

    // Tracing and LSM programs name their target; the verifier needs its vmlinux BTF id.
    private static ProgramLoadOptions WithAttachBtfId(ProgramLoadOptions options) =>
        options.AttachTo is { Length: > 0 } target && options.AttachBtfId == 0 && options.AttachProgram is null
            && options.Type is ProgramType.Tracing or ProgramType.Lsm
            ? options with { AttachBtfId = AttachBtfIds.Resolve(options.Type, options.ExpectedAttachType ?? default, target) }
            : options;

    private static Exception Failure(ProgramLoadOptions options, string name, Errno errno, string log, bool truncated)
    {
        string shown = name.Length > 0 ? name : $"{options.Type} program";
        if (TracingErrors.Explain(options.Type, options.ExpectedAttachType, errno, $"load program '{shown}'"
                + (options.AttachTo is null ? "" : $" for {options.AttachTo}")) is { } missing)
            return missing;
        if (errno == Errno.EINVAL && log.Length == 0 && !Ebpf.Linux.Features.KernelFeatures.ProgramType(options.Type).IsSupported)
            return new KernelFeatureMissingException(KernelNames.Of(options.Type), $"load program '{shown}': {errno.Describe()}");
        if (log.Length > 0 || errno is Errno.EACCES or Errno.EINVAL or Errno.ENOSPC)
            return new BpfVerifierException(shown, errno, log, truncated);
        return BpfErrors.Create(errno, "load program", $"'{shown}'");
    }

    private static unsafe int LoadOnce(ProgramLoadOptions o, string name, VerifierLogLevel level, byte[] log, out uint trueSize)
    {
        ReadOnlySpan<Instruction> insns = o.Instructions.Span;
        byte[] license = Encoding.UTF8.GetBytes(o.License + "\0");
        ReadOnlySpan<byte> funcInfo = o.FuncInfo.Span, lineInfo = o.LineInfo.Span;
        int fdCount = o.FdArray?.Count ?? 0;
        int[] fds = new int[Math.Max(fdCount, 1)];
        bool[] added = new bool[fdCount];
        try
        {
            for (int i = 0; i < fdCount; i++)
            {
                SafeBpfHandle h = o.FdArray![i];
                h.DangerousAddRef(ref added[i]);
                fds[i] = (int)h.DangerousGetHandle();
            }
            fixed (Instruction* pi = insns)
            fixed (byte* pl = license, pf = funcInfo, pli = lineInfo, plog = log)
            fixed (int* pfds = fds)
            {
                var attr = new ProgLoadAttr
                {
                    ProgType = (uint)o.Type,
                    InsnCnt = (uint)insns.Length,
                    Insns = Bpf.Ptr(pi),
                    License = Bpf.Ptr(pl),
                    LogLevel = log.Length == 0 ? 0 : (uint)level,
                    LogSize = (uint)log.Length,
                    LogBuf = log.Length == 0 ? 0 : Bpf.Ptr(plog),
                    KernVersion = o.KernelVersion,
                    ProgFlags = (uint)o.Flags,
                    ProgIfindex = (uint)o.Ifindex,
                    ExpectedAttachType = (uint)(o.ExpectedAttachType ?? 0),
                    AttachBtfId = (uint)o.AttachBtfId,
                    FdArray = fdCount == 0 ? 0 : Bpf.Ptr(pfds),
                    FdArrayCnt = 0,   // 0: the kernel reads as many as the instructions reference (6.14+ also binds all when set)
                };
                if (!funcInfo.IsEmpty)
                {
                    attr.FuncInfo = Bpf.Ptr(pf);
                    attr.FuncInfoRecSize = (uint)o.FuncInfoRecordSize;
                    attr.FuncInfoCnt = (uint)(funcInfo.Length / o.FuncInfoRecordSize);
                }
                if (!lineInfo.IsEmpty)
                {
                    attr.LineInfo = Bpf.Ptr(pli);
                    attr.LineInfoRecSize = (uint)o.LineInfoRecordSize;
                    attr.LineInfoCnt = (uint)(lineInfo.Length / o.LineInfoRecordSize);
                }
                ObjectName.Write(name, attr.ProgName);
                using var btf = FdLease.Optional(o.Btf, out attr.ProgBtfFd);
                using var target = FdLease.Optional(o.AttachProgram ?? o.AttachBtfObject, out attr.AttachProgFd);
                if (log.Length > 0) log[0] = 0;
                int r = Bpf.Invoke(BpfCommand.ProgLoad, ref attr);
                trueSize = attr.LogTrueSize;
                return r;
            }
        }
        finally
        {
            for (int i = 0; i < fdCount; i++)
                if (added[i]) o.FdArray![i].DangerousRelease();
        }
    }

    private static string Decode(byte[] log)
    {
        int end = Array.IndexOf(log, (byte)0);
        return Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end);
    }
}
