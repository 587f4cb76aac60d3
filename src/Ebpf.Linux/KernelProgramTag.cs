using Ebpf.Asm;

namespace Ebpf.Linux;

/// <summary>
/// The program tag the running kernel computes. Kernels before the switch to SHA-256 (5.10, 6.1, 6.12 among them)
/// hash with SHA-1; there is no version number to ask, so one tiny socket filter is loaded and its tag compared
/// with both digests. The answer is cached for the process.
/// </summary>
public static class KernelProgramTag
{
    private static readonly Lazy<ProgramTagAlgorithm> s_algorithm = new(Detect, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The digest the running kernel uses for program tags.</summary>
    /// <exception cref="UnauthorizedAccessException">Loading the probe program needs CAP_BPF.</exception>
    /// <exception cref="InvalidOperationException">The kernel's tag matches neither digest.</exception>
    public static ProgramTagAlgorithm Algorithm => s_algorithm.Value;

    /// <summary>
    /// <see cref="Algorithm"/>, or <paramref name="fallback"/> when it cannot be found out (no privileges, no bpf()),
    /// for callers such as <c>ebpf object show</c> that also run without the kernel.
    /// </summary>
    public static ProgramTagAlgorithm AlgorithmOr(ProgramTagAlgorithm fallback)
    {
        try
        {
            return Algorithm;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or BpfException or InvalidOperationException or DllNotFoundException)
        {
            return fallback;
        }
    }

    /// <summary>The tag the running kernel will give <paramref name="program"/>.</summary>
    public static ulong Compute(ProgramSpec program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return program.ComputeTag(Algorithm);
    }

    /// <summary>The tag the running kernel gives <paramref name="instructions"/>.</summary>
    public static ulong Compute(ReadOnlySpan<Instruction> instructions) => ProgramTag.Compute(instructions, Algorithm);

    private static ProgramTagAlgorithm Detect()
    {
        Instruction[] probe = [Instruction.Mov(Register.R0, 0), Instruction.Exit()];
        using KernelProgram program = ProgramLoader.Load(new ProgramLoadOptions
        {
            Type = ProgramType.SocketFilter,
            Instructions = probe,
            Name = "tag_probe",
        });
        ulong tag = program.Info().Tag;
        if (tag == ProgramTag.Compute(probe, ProgramTagAlgorithm.Sha256)) return ProgramTagAlgorithm.Sha256;
        if (tag == ProgramTag.Compute(probe, ProgramTagAlgorithm.Sha1)) return ProgramTagAlgorithm.Sha1;
        throw new InvalidOperationException(
            $"the kernel tagged a two-instruction program {ProgramTag.Format(tag)}, which is neither its SHA-256 nor its SHA-1 tag");
    }
}
