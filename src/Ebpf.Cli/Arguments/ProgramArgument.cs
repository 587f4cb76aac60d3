using Ebpf.Linux;

namespace Ebpf.Cli.Arguments;

/// <summary>Opens the one loaded program a <see cref="ObjectReference"/> names (bpftool's PROG := id | pinned | tag | name).</summary>
internal static class ProgramArgument
{
    /// <summary>Parses PROG at <paramref name="index"/> and opens it.</summary>
    /// <exception cref="Output.CliError">No program, or several, match.</exception>
    public static KernelProgram Open(IReadOnlyList<string> args, ref int index)
    {
        ObjectReference reference = ObjectReference.Parse(args, ref index, "PROG",
            ObjectReferenceKind.Id, ObjectReferenceKind.Pinned, ObjectReferenceKind.Tag, ObjectReferenceKind.Name);
        return Open(reference);
    }

    /// <summary>Opens the program <paramref name="reference"/> names (exactly one must match).</summary>
    public static KernelProgram Open(ObjectReference reference)
    {
        var (handle, _) = KernelLookup.Program(reference);
        return KernelProgram.FromHandle(handle);
    }
}
