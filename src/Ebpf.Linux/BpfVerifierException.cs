using System.Text.RegularExpressions;

namespace Ebpf.Linux;

/// <summary>
/// The kernel refused to load a program. <see cref="Log"/> holds the verifier's complete log (it is fetched again with a
/// larger buffer until nothing is cut off); the message shows the last lines.
/// </summary>
public partial class BpfVerifierException : BpfException
{
    private const int MessageLines = 12;

    /// <summary>Creates an exception for a rejected program.</summary>
    /// <param name="programName">The program's name.</param>
    /// <param name="errno">The errno of BPF_PROG_LOAD.</param>
    /// <param name="log">The complete verifier log ("" when the kernel wrote none).</param>
    /// <param name="logTruncated">True when the kernel still reported the log as cut off at the maximum buffer size.</param>
    public BpfVerifierException(string programName, Errno errno, string log, bool logTruncated = false)
        : base(Format(programName, errno, log, logTruncated), errno)
    {
        ProgramName = programName;
        Log = log;
        LogTruncated = logTruncated;
        FailedInstruction = FindFailedInstruction(log);
    }

    /// <summary>Creates an exception with a plain message.</summary>
    public BpfVerifierException() : this("program", Errno.EACCES, "") { }

    /// <summary>Creates an exception with a plain message.</summary>
    public BpfVerifierException(string message) : base(message) => (ProgramName, Log) = ("program", "");

    /// <summary>Creates an exception with a plain message and an inner exception.</summary>
    public BpfVerifierException(string message, Exception inner) : base(message, inner) => (ProgramName, Log) = ("program", "");

    /// <summary>The name of the program that failed to load.</summary>
    public string ProgramName { get; }

    /// <summary>The complete verifier log.</summary>
    public string Log { get; }

    /// <summary>True only when the log exceeded even the largest buffer the kernel accepts (1 GiB).</summary>
    public bool LogTruncated { get; }

    /// <summary>
    /// Index of the instruction the verifier was looking at when it gave up (the last "N: (op) ..." line of the log), or
    /// null when the log has none (log level 0, or a rejection before verification, such as a bad attribute).
    /// </summary>
    public int? FailedInstruction { get; }

    private static string Format(string name, Errno errno, string log, bool truncated)
    {
        string head = $"load program '{name}': {errno.Describe()}";
        if (log.Length == 0) return head + " (the kernel wrote no verifier log)";
        string[] lines = log.TrimEnd('\n', '\0').Split('\n');
        int omitted = Math.Max(0, lines.Length - MessageLines);
        string tail = string.Join('\n', lines.Skip(omitted));
        string note = omitted > 0 ? $"\n({omitted} lines omitted, see Log)" : "";
        return $"{head}{(truncated ? " (log truncated at the kernel's maximum)" : "")}:\n{tail}{note}";
    }

    private static int? FindFailedInstruction(string log)
    {
        int? last = null;
        foreach (Match m in InstructionLine().Matches(log))
            last = int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
        return last;
    }

    [GeneratedRegex(@"^(\d+): \(", RegexOptions.Multiline)]
    private static partial Regex InstructionLine();
}
