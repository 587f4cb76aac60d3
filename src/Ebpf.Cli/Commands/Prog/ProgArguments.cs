using Ebpf.Cli.Arguments;

namespace Ebpf.Cli.Commands.Prog;

/// <summary>The PROG argument of the prog commands.</summary>
internal static class ProgArguments
{
    /// <summary><c>id ID | pinned FILE | tag TAG | name NAME</c>.</summary>
    public static ObjectReference Reference(Words words) =>
        words.Reference("PROG", ObjectReferenceKind.Id, ObjectReferenceKind.Pinned, ObjectReferenceKind.Tag, ObjectReferenceKind.Name);
}
