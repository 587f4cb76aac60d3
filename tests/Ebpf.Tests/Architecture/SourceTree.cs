namespace Ebpf.Tests.Architecture;

/// <summary>The projects under a repository's src/ folder, read from source.</summary>
internal sealed class SourceTree
{
    private SourceTree(IReadOnlyList<SourceProject> projects) => Projects = projects;

    /// <summary>Each folder of src/ that holds a .csproj.</summary>
    public IReadOnlyList<SourceProject> Projects { get; }

    /// <summary>The project named <paramref name="name"/> (Ebpf.Vm).</summary>
    public SourceProject this[string name] => Projects.Single(p => p.Name == name);

    /// <summary>Reads src/ of the repository at <paramref name="root"/>.</summary>
    public static SourceTree Read(string root) =>
        new([.. Directory.EnumerateDirectories(Path.Combine(root, "src"))
            .Where(d => Directory.EnumerateFiles(d, "*.csproj").Any())
            .Order(StringComparer.Ordinal)
            .Select(d => SourceProject.Read(root, d))]);
}
