namespace Ebpf.Tests.Architecture;

/// <summary>A throwaway repository in a temp folder: src/&lt;Project&gt;/... files, each project with a .csproj.</summary>
internal sealed class SyntheticTree : IDisposable
{
    /// <summary>Writes <paramref name="files"/> (path under src/ → content) and an empty .csproj per project.</summary>
    public SyntheticTree(params (string Path, string Source)[] files)
    {
        Root = Directory.CreateTempSubdirectory("ebpf-arch-").FullName;
        foreach (var (path, source) in files)
        {
            string full = Path.Combine(Root, "src", path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, source);
            string project = path.Split('/')[0];
            File.WriteAllText(Path.Combine(Root, "src", project, project + ".csproj"), "<Project />");
        }
    }

    /// <summary>The repository root.</summary>
    public string Root { get; }

    /// <summary>The tree as the rules read it.</summary>
    public SourceTree Read() => SourceTree.Read(Root);

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(Root, recursive: true);
}
