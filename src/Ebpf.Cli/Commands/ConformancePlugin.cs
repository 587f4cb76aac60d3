using System.Globalization;
using Ebpf.Asm;
using Ebpf.Vm;

namespace Ebpf.Cli.Commands;

/// <summary>
/// What <c>ebpf conformance-plugin</c> does, apart from argument parsing: decode the hex the bpf_conformance
/// runner sends, run the program with r1 = a copy of the memory and r2 = its length, and report r0 the way the
/// runner parses it (see ../shared/conformance/PLUGIN-PROTOCOL.md).
/// </summary>
internal static class ConformancePlugin
{
    /// <summary>Exit code of a successful run (r0 printed on stdout).</summary>
    public const int Success = 0;

    /// <summary>Exit code when the program is invalid or faulted (message on stderr).</summary>
    public const int ProgramFailed = 1;

    /// <summary>Exit code when the requested engine or input format is not available.</summary>
    public const int Unavailable = 2;

    /// <summary>Message for <c>--engine jit</c> until the JIT exists.</summary>
    public const string JitUnavailable = "the JIT engine is not available yet (issue: JIT)";

    /// <summary>
    /// Runs one test: <paramref name="programHex"/> is the instruction stream, <paramref name="memoryHex"/> the
    /// optional memory. Writes r0 as lowercase hex and a newline to <paramref name="output"/>, or the error to
    /// <paramref name="error"/>; returns the exit code.
    /// </summary>
    public static int Run(string programHex, string? memoryHex, string engine, bool debug, TextWriter output, TextWriter error)
    {
        if (engine == "jit")
        {
            error.WriteLine(JitUnavailable);
            return Unavailable;
        }
        if (!TryParseHex(programHex, out byte[] code, out string? problem))
        {
            error.WriteLine($"program: {problem}");
            return ProgramFailed;
        }
        if (!TryParseHex(memoryHex ?? "", out byte[] memory, out problem))
        {
            error.WriteLine($"memory: {problem}");
            return ProgramFailed;
        }
        try
        {
            VmProgram program = VmProgram.Load(InstructionStream.DecodeUnchecked(code));
            ulong r0 = program.Run(memory);
            output.WriteLine(r0.ToString("x", CultureInfo.InvariantCulture));
            return Success;
        }
        catch (Exception e) when (e is VmProgramException or VmFaultException or InstructionFormatException)
        {
            error.WriteLine(e.Message);
            if (debug) WriteProgram(code, error);
            return ProgramFailed;
        }
    }

    /// <summary>
    /// Parses hex bytes: pairs of hex digits, with any whitespace between (the runner puts two spaces after each
    /// byte) and an optional <c>0x</c> prefix per token.
    /// </summary>
    public static bool TryParseHex(string text, out byte[] bytes, out string? problem)
    {
        var result = new List<byte>(text.Length / 3);
        foreach (string token in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            ReadOnlySpan<char> digits = token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? token.AsSpan(2) : token;
            if (digits.Length % 2 != 0)
                return Fail($"'{token}' has an odd number of hex digits", out bytes, out problem);
            for (int i = 0; i < digits.Length; i += 2)
            {
                if (!byte.TryParse(digits.Slice(i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
                    return Fail($"'{token}' is not hex", out bytes, out problem);
                result.Add(b);
            }
        }
        bytes = [.. result];
        problem = null;
        return true;
    }

    private static bool Fail(string why, out byte[] bytes, out string? problem)
    {
        bytes = [];
        problem = why;
        return false;
    }

    private static void WriteProgram(byte[] code, TextWriter error)
    {
        if (code.Length % Instruction.Size != 0) return;
        Instruction[] slots = InstructionStream.DecodeUnchecked(code);
        for (int i = 0; i < slots.Length; i++) error.WriteLine($"{i,4}: {slots[i]}");
    }
}
