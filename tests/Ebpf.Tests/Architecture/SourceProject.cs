namespace Ebpf.Tests.Architecture;

/// <summary>A folder holding a .csproj and the C# files below it (build output folders excluded).</summary>
internal sealed class SourceProject
{
    private readonly Dictionary<string, List<SourceFile>> _declarers = [];
    private readonly HashSet<string> _namespaceSegments = [];

    private SourceProject(string name, IReadOnlyList<SourceFile> files)
    {
        Name = name;
        Files = files;
        foreach (SourceFile file in files)
        {
            _namespaceSegments.UnionWith(file.NamespaceSegments);
            foreach (string type in file.DeclaredTypes)
            {
                if (!_declarers.TryGetValue(type, out var list)) _declarers[type] = list = [];
                list.Add(file);
            }
        }
    }

    /// <summary>The project's folder name (Ebpf.Vm).</summary>
    public string Name { get; }

    /// <summary>Its C# files.</summary>
    public IReadOnlyList<SourceFile> Files { get; }

    /// <summary>Reads the project in <paramref name="directory"/>; paths are reported relative to <paramref name="treeRoot"/>.</summary>
    public static SourceProject Read(string treeRoot, string directory) =>
        new(Path.GetFileName(directory), [.. Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(directory, f)))
            .Order(StringComparer.Ordinal)
            .Select(f => SourceFile.Read(treeRoot, directory, f))]);

    /// <summary>A project made of <paramref name="files"/> (for tests of the checks).</summary>
    public static SourceProject Create(string name, IReadOnlyList<SourceFile> files) => new(name, files);

    /// <summary>
    /// The type references of <paramref name="file"/> that leave its folder: each name it uses that some other
    /// folder of the project declares, with the declaring file. A name the file's own folder declares is taken
    /// to mean that type (C# resolves the nearer namespace first); a name after a '.' counts only when what
    /// precedes is a namespace of the project (Ebpf.Vm.VmProgram), since x.Name is a member.
    /// </summary>
    public IEnumerable<TypeReference> ReferencesOutOfFolder(SourceFile file)
    {
        var seen = new HashSet<(string, string)>(); // each type once per declaring folder: partial files add nothing
        var candidates = file.Uses.Concat(file.QualifiedUses.Where(q => _namespaceSegments.Contains(q.Qualifier)).Select(q => q.Use));
        foreach (NameUse use in candidates)
        {
            if (!_declarers.TryGetValue(use.Name, out var declarers) || declarers.Any(d => d.Folder == file.Folder)) continue;
            foreach (SourceFile declarer in declarers)
                if (seen.Add((use.Name, declarer.Folder)))
                    yield return new TypeReference(file, use.Name, use.Line, declarer);
        }
    }

    private static bool IsBuildOutput(string relative)
    {
        string first = relative.Split(Path.DirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }
}

/// <summary><paramref name="From"/> names type <paramref name="Type"/> at <paramref name="Line"/>, declared in <paramref name="Declarer"/>.</summary>
internal sealed record TypeReference(SourceFile From, string Type, int Line, SourceFile Declarer)
{
    /// <inheritdoc/>
    public override string ToString() => $"{From.Path}:{Line} uses {Type} ({Declarer.Path})";
}
