namespace Ebpf.Tests.Architecture;

/// <summary>
/// A broken rule. <paramref name="Key"/> identifies it stably (a file, or a project and the folders of a cycle),
/// so a known case can be listed as a temporary exception; <paramref name="Message"/> says what creates it.
/// </summary>
internal sealed record Violation(string Key, string Message);

/// <summary>The layering rules of DESIGN.md and issue 26, checked on a <see cref="SourceTree"/>.</summary>
internal static class ArchitectureRules
{
    private static readonly HashSet<string> NativeImports = ["LibraryImport", "LibraryImportAttribute", "DllImport", "DllImportAttribute"];

    /// <summary>
    /// Every <c>[LibraryImport]</c>/<c>[DllImport]</c> outside <paramref name="interopProject"/>: the kernel is
    /// reached from one project only, so its errno handling and handle lifetimes live in one place.
    /// </summary>
    public static IEnumerable<Violation> NativeImportsOutside(SourceTree tree, string interopProject) =>
        from project in tree.Projects
        where project.Name != interopProject
        from file in project.Files
        let lines = NativeImportLines(file)
        where lines.Count > 0
        select new Violation(file.Path, $"{file.Path}:{string.Join(",", lines)} declares a P/Invoke; only {interopProject} may talk to the OS");

    /// <summary>
    /// Files of <paramref name="project"/>'s <paramref name="coreFolder"/> (and its subfolders) that name a type
    /// declared anywhere else in the project: the core is what engines, verifier and helpers share, so it
    /// depends on none of them (nor on <c>VmProgram</c>, which chooses the engine).
    /// </summary>
    public static IEnumerable<Violation> CoreDependsOnNothingAbove(SourceProject project, string coreFolder) =>
        DependsOnlyOn(project, coreFolder, []);

    /// <summary>
    /// Files of <paramref name="project"/>'s <paramref name="folder"/> (and its subfolders) that name a type declared
    /// in the project outside that folder and outside <paramref name="allowed"/> (folders, with their subfolders).
    /// </summary>
    public static IEnumerable<Violation> DependsOnlyOn(SourceProject project, string folder, IReadOnlyList<string> allowed) =>
        from file in project.Files
        where InFolder(file.Folder, folder)
        from r in project.ReferencesOutOfFolder(file)
        where !InFolder(r.Declarer.Folder, folder) && !allowed.Any(a => InFolder(r.Declarer.Folder, a))
        select new Violation($"{file.Path} -> {r.Type}",
            $"{r}: {project.Name}/{folder} may use only {(allowed.Count == 0 ? "itself" : string.Join(", ", allowed))}, not {FolderGraph.Name(r.Declarer.Folder)}");

    /// <summary>Every cycle between the folders of every project, with the references that close it.</summary>
    public static IEnumerable<Violation> FolderCycles(SourceTree tree) =>
        from project in tree.Projects
        let graph = new FolderGraph(project)
        from cycle in graph.Cycles()
        select new Violation($"{project.Name}: {string.Join(" <-> ", cycle.Select(FolderGraph.Name))}", graph.Describe(cycle));

    /// <summary>
    /// What makes <paramref name="project"/> impure: a P/Invoke, or a string naming a /proc or /sys path (pure
    /// code gets kernel facts passed in, so it runs and tests anywhere).
    /// </summary>
    public static IEnumerable<Violation> ImpureCode(SourceProject project)
    {
        foreach (SourceFile file in project.Files)
        {
            if (NativeImportLines(file) is { Count: > 0 } lines)
                yield return new Violation(file.Path, $"{file.Path}:{string.Join(",", lines)} declares a P/Invoke in pure {project.Name}");
            foreach (CSharpToken s in file.Strings.Where(s => NamesKernelFileSystem(s.Text)))
                yield return new Violation(file.Path, $"{file.Path}:{s.Line} names a kernel file system path (\"{s.Text}\") in pure {project.Name}");
        }
    }

    /// <summary>True when <paramref name="text"/> holds a path under /proc or /sys (or is one of them).</summary>
    public static bool NamesKernelFileSystem(string text)
    {
        foreach (string root in (string[])["/proc", "/sys"])
            for (int at = text.IndexOf(root, StringComparison.Ordinal); at >= 0; at = text.IndexOf(root, at + 1, StringComparison.Ordinal))
            {
                int end = at + root.Length;
                bool startsPath = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
                if (startsPath && (end == text.Length || text[end] is '/' or '"' or ' ' or '\'')) return true;
            }
        return false;
    }

    private static List<int> NativeImportLines(SourceFile file) =>
        [.. file.Uses.Concat(file.QualifiedUses.Select(q => q.Use)).Where(u => NativeImports.Contains(u.Name)).Select(u => u.Line).Distinct()];

    private static bool InFolder(string folder, string root) =>
        folder == root || folder.StartsWith(root + "/", StringComparison.Ordinal);
}
