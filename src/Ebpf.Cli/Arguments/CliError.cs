namespace Ebpf.Cli.Output;

/// <summary>
/// A failure to report as one line on stderr (what failed, on which object, why, and a hint) with a non-zero
/// exit code, instead of a stack trace.
/// </summary>
internal sealed class CliError(string message, int exitCode = 1) : Exception(message)
{
    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
