using System.Globalization;
using Ebpf.Asm;
using Ebpf.Cli.Output;
using Ebpf.Linux;

namespace Ebpf.Cli.Arguments;

/// <summary>Opens the one loaded program a <see cref="ObjectReference"/> names (bpftool's PROG := id | pinned | tag | name).</summary>
internal static class ProgramArgument
{
    /// <summary>Parses PROG at <paramref name="index"/> and opens it.</summary>
    /// <exception cref="CliError">No program, or several, match.</exception>
    public static KernelProgram Open(IReadOnlyList<string> args, ref int index)
    {
        ObjectReference reference = ObjectReference.Parse(args, ref index, "PROG",
            ObjectReferenceKind.Id, ObjectReferenceKind.Pinned, ObjectReferenceKind.Tag, ObjectReferenceKind.Name);
        return Open(reference);
    }

    /// <summary>Opens the program <paramref name="reference"/> names.</summary>
    public static KernelProgram Open(ObjectReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        switch (reference.Kind)
        {
            case ObjectReferenceKind.Id:
                try { return KernelProgram.OpenById(reference.Id); }
                catch (BpfException e) when (e.Errno == Errno.ENOENT) { throw new CliError($"get program by id {reference.Value}: no such program (see 'ebpf prog show')"); }
            case ObjectReferenceKind.Pinned:
                try { return KernelProgram.OpenPinned(reference.Value); }
                catch (FileNotFoundException) { throw new CliError($"open pinned program {reference.Value}: nothing is pinned there"); }
                catch (BpfException e) when (e.Errno == Errno.EINVAL) { throw new CliError($"open pinned program {reference.Value}: the object pinned there is not a program"); }
        }
        var matches = new List<KernelProgram>();
        foreach (uint id in KernelObjects.ProgramIds())
        {
            KernelProgram program;
            try { program = KernelProgram.OpenById(id); }
            catch (BpfException e) when (e.Errno == Errno.ENOENT) { continue; }
            ProgramInfo info = program.Info();
            bool match = reference.Kind == ObjectReferenceKind.Name
                ? info.Name == reference.Value
                : ProgramTag.Format(info.Tag).Equals(reference.Value, StringComparison.OrdinalIgnoreCase);
            if (match) matches.Add(program);
            else program.Dispose();
        }
        if (matches.Count == 1) return matches[0];
        foreach (KernelProgram p in matches) p.Dispose();
        throw matches.Count == 0
            ? new CliError($"no program with {reference} is loaded (see 'ebpf prog show')")
            : new CliError($"{matches.Count.ToString(CultureInfo.InvariantCulture)} programs match {reference}: name one by 'id ID' or 'pinned FILE'");
    }
}
