namespace Ebpf.Asm;

/// <summary>Assembler text that cannot be assembled: where (1-based line and column), what was expected and what was found.</summary>
public sealed class AssemblerException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column.</param>
    /// <param name="expected">What the assembler expected there, e.g. "a register like %r0-%r10".</param>
    /// <param name="found">What it found instead (may be empty at the end of a line).</param>
    public AssemblerException(int line, int column, string expected, string found)
        : base($"line {line}, column {column}: expected {expected}, found {(found.Length == 0 ? "end of line" : $"'{found}'")}")
    {
        Line = line;
        Column = column;
        Expected = expected;
        Found = found;
    }

    /// <summary>1-based line of the error.</summary>
    public int Line { get; }

    /// <summary>1-based column of the error.</summary>
    public int Column { get; }

    /// <summary>What was expected.</summary>
    public string Expected { get; }

    /// <summary>What was found.</summary>
    public string Found { get; }
}
