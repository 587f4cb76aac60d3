using Ebpf.Testing;

namespace Ebpf.Tests.Architecture;

/// <summary>
/// The layering of src/ (DESIGN.md, issue 26), checked on the sources: who may call the OS, what the VM's core
/// may depend on, and that no two folders of a project depend on each other.
/// </summary>
public class ArchitectureTests
{
    private static readonly SourceTree Tree = SourceTree.Read(RepoPaths.Root);

    // Known cases (Violation.Key), each to be deleted when the work named beside it lands; an entry that no longer
    // matches anything fails TemporaryExceptions_AreStillNeeded, so it cannot outlive its reason.
    private static readonly HashSet<string> TemporaryExceptions =
    [
    ];

    [Fact]
    public void OnlyEbpfLinux_DeclaresPInvokes() =>
        AssertNone(ArchitectureRules.NativeImportsOutside(Tree, "Ebpf.Linux"));

    [Fact]
    public void VmCore_DependsOnNothingAboveIt() =>
        AssertNone(ArchitectureRules.CoreDependsOnNothingAbove(Tree["Ebpf.Vm"], "Runtime"));

    [Theory]
    [InlineData("Helpers")]
    [InlineData("Engines")]
    public void VmHelpersAndEngines_DependOnlyOnTheCore(string folder) =>
        AssertNone(ArchitectureRules.DependsOnlyOn(Tree["Ebpf.Vm"], folder, ["Runtime"]));

    [Fact]
    public void Folders_DoNotDependOnEachOther() =>
        AssertNone(ArchitectureRules.FolderCycles(Tree));

    [Fact]
    public void Ebpf_IsPure() =>
        AssertNone(ArchitectureRules.ImpureCode(Tree["Ebpf"]));

    [Fact]
    public void TemporaryExceptions_AreStillNeeded()
    {
        var keys = AllViolations().Select(v => v.Key).ToHashSet();
        Assert.All(TemporaryExceptions, e => Assert.True(keys.Contains(e), $"temporary exception '{e}' matches nothing any more: delete it"));
    }

    [Fact]
    public void TheScan_SeesTheProjects()
    {
        // A scan that reads nothing passes every rule: make sure it read the tree.
        Assert.Equal(["Ebpf", "Ebpf.Cli", "Ebpf.Linux", "Ebpf.Vm"], Tree.Projects.Select(p => p.Name));
        Assert.All(Tree.Projects, p => Assert.True(p.Files.Count > 10, $"{p.Name} has {p.Files.Count} files"));
    }

    private static IEnumerable<Violation> AllViolations() =>
        ArchitectureRules.NativeImportsOutside(Tree, "Ebpf.Linux")
            .Concat(ArchitectureRules.CoreDependsOnNothingAbove(Tree["Ebpf.Vm"], "Runtime"))
            .Concat(ArchitectureRules.FolderCycles(Tree))
            .Concat(ArchitectureRules.ImpureCode(Tree["Ebpf"]));

    private static void AssertNone(IEnumerable<Violation> violations)
    {
        var found = violations.ToList();
        var broken = found.Where(v => !TemporaryExceptions.Contains(v.Key)).ToList();
        Assert.True(broken.Count == 0, string.Join("\n\n", broken.Select(v => v.Message)));
    }
}
