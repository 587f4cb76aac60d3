namespace Ebpf.Tests.Architecture;

/// <summary>
/// The folders of one project and the arrows between them: folder A points at folder B when a file in A names a
/// type declared in B. A cycle is a strongly connected component of more than one folder.
/// </summary>
internal sealed class FolderGraph
{
    private const int MaxEvidence = 60;

    private readonly SortedDictionary<string, SortedDictionary<string, List<TypeReference>>> _arrows = new(StringComparer.Ordinal);

    /// <summary>Builds the graph of <paramref name="project"/>.</summary>
    public FolderGraph(SourceProject project)
    {
        Project = project;
        foreach (SourceFile file in project.Files)
        {
            Arrows(file.Folder);
            foreach (TypeReference r in project.ReferencesOutOfFolder(file))
            {
                var to = Arrows(file.Folder);
                if (!to.TryGetValue(r.Declarer.Folder, out var evidence)) to[r.Declarer.Folder] = evidence = [];
                evidence.Add(r);
            }
        }
    }

    /// <summary>The project the graph is of.</summary>
    public SourceProject Project { get; }

    /// <summary>The references that make the arrow <paramref name="from"/> → <paramref name="to"/> (empty: no arrow).</summary>
    public IReadOnlyList<TypeReference> Evidence(string from, string to) =>
        _arrows.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var evidence) ? evidence : [];

    /// <summary>The folders <paramref name="from"/> points at.</summary>
    public IEnumerable<string> Targets(string from) => _arrows.TryGetValue(from, out var t) ? t.Keys : [];

    /// <summary>Each cycle as its sorted folders (Tarjan's algorithm; recursion depth is the folder count).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (string w in Targets(v))
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            if (component.Count > 1) cycles.Add([.. component.Order(StringComparer.Ordinal)]);
        }

        foreach (string folder in _arrows.Keys) if (!index.ContainsKey(folder)) Visit(folder);
        return cycles;
    }

    /// <summary>
    /// Says what makes <paramref name="cycle"/>: every arrow between its folders, each with the files and types
    /// that create it.
    /// </summary>
    public string Describe(IReadOnlyList<string> cycle)
    {
        var lines = new List<string> { $"{Project.Name}: folders {string.Join(", ", cycle.Select(Name))} depend on each other:" };
        // The thinnest arrows first: they are the ones to cut.
        var arrows = from f in cycle from t in cycle let e = Evidence(f, t) where e.Count > 0 orderby e.Count select (f, t, e);
        foreach (var (from, to, evidence) in arrows)
        {
            lines.Add($"  {Name(from)} -> {Name(to)} ({evidence.Count} references):");
            lines.AddRange(evidence.Take(MaxEvidence).Select(r => $"    {r}"));
            if (evidence.Count > MaxEvidence) lines.Add($"    ... and {evidence.Count - MaxEvidence} more");
        }
        return string.Join('\n', lines);
    }

    /// <summary>How a folder is named in messages: its path, or "(root)".</summary>
    public static string Name(string folder) => folder.Length == 0 ? "(root)" : folder;

    private SortedDictionary<string, List<TypeReference>> Arrows(string from)
    {
        if (!_arrows.TryGetValue(from, out var to)) _arrows[from] = to = new(StringComparer.Ordinal);
        return to;
    }
}
