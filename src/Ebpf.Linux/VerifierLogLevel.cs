namespace Ebpf.Linux;

/// <summary>How much the verifier writes into its log (BPF_PROG_LOAD's <c>log_level</c>).</summary>
[Flags]
public enum VerifierLogLevel : uint
{
    /// <summary>No log while loading; a rejected program is loaded again with <see cref="Basic"/> to explain why.</summary>
    None = 0,
    /// <summary>BPF_LOG_LEVEL1: each instruction as verified, and the error.</summary>
    Basic = 1,
    /// <summary>BPF_LOG_LEVEL2: also the register state at every instruction (large).</summary>
    Verbose = 2,
    /// <summary>BPF_LOG_STATS: statistics (processed instructions, states, time) at the end.</summary>
    Stats = 4,
}
