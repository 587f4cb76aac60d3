namespace Ebpf.Testing;

/// <summary>Where tests find the repository, the shared test data and the compiled BPF objects.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding Directory.Build.props).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// ../shared next to the repository (conformance data, design documents), or the folder named by the
    /// EBPF_NET_SHARED environment variable.
    /// </summary>
    public static string Shared => Environment.GetEnvironmentVariable("EBPF_NET_SHARED") is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>The bpf_conformance test files.</summary>
    public static string ConformanceTests =>
        HasConformanceTests ? ConformanceTestsPath : throw new DirectoryNotFoundException(MissingConformanceTests);

    /// <summary>Whether the bpf_conformance suite is where <see cref="ConformanceTests"/> looks.</summary>
    public static bool HasConformanceTests => Directory.Exists(ConformanceTestsPath);

    /// <summary>What to tell a user when the suite is missing.</summary>
    public static string MissingConformanceTests =>
        $"bpf_conformance tests not found under {Shared}: the suite lives in ../shared beside the repository (or set EBPF_NET_SHARED)";

    private static string ConformanceTestsPath => Path.Combine(Shared, "conformance", "bpf_conformance", "tests");

    /// <summary>The BPF objects clang built for this test project (bpf/ in the output folder).</summary>
    public static string BpfObjects => Path.Combine(AppContext.BaseDirectory, "bpf");

    /// <summary>
    /// The compiled objects the kernel accepts, as paths relative to <see cref="BpfObjects"/>, in order: all but those
    /// under bpf/rejected/, which the verifier must refuse.
    /// </summary>
    public static IEnumerable<string> LoadableBpfObjects() =>
        Directory.EnumerateFiles(BpfObjects, "*.o", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(BpfObjects, p))
            .Where(p => !p.StartsWith("rejected" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>Path of a compiled BPF object by file name (e.g. <c>xdp_drop_udp53.o</c>).</summary>
    public static string BpfObject(string name) => Path.Combine(BpfObjects, name);

    private static string FindRoot()
    {
        string? built = typeof(RepoPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "Directory.Build.props"))) return Path.GetFullPath(built);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))) return dir.FullName;
        throw new InvalidOperationException($"no Directory.Build.props above {AppContext.BaseDirectory}");
    }
}
