namespace Ebpf.Tests.Architecture;

/// <summary>Each rule of <see cref="ArchitectureTests"/> fails on a small tree that breaks it, and only there.</summary>
public class ArchitectureRulesTests
{
    [Fact]
    public void NativeImports_OutsideTheInteropProject_AreReported_WithTheirLines()
    {
        using var tree = new SyntheticTree(
            ("Ebpf.Linux/Interop/Libc.cs", "partial class Libc { [LibraryImport(\"libc\")] internal static partial int close(int fd); }"),
            ("Ebpf.Cli/Native.cs", "class Native\n{\n    [System.Runtime.InteropServices.DllImport(\"libc\")] static extern int close(int fd);\n}"),
            ("Ebpf.Cli/Quiet.cs", "// [DllImport] in a comment, and in a string:\nclass Quiet { string s = \"[LibraryImport]\"; }"));

        var violation = Assert.Single(ArchitectureRules.NativeImportsOutside(tree.Read(), "Ebpf.Linux"));

        Assert.Equal("src/Ebpf.Cli/Native.cs", violation.Key);
        Assert.Contains("src/Ebpf.Cli/Native.cs:3 declares a P/Invoke", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Core_UsingAnEngineType_IsReported_WithFileAndType()
    {
        using var tree = new SyntheticTree(
            ("Ebpf.Vm/Runtime/Faults.cs", "static class Faults { static void F(Region r) { } }"),
            ("Ebpf.Vm/Runtime/Region.cs", "struct Region { }"),
            ("Ebpf.Vm/Runtime/ExecutionState.cs", "struct ExecutionState\n{\n    InterpreterEngine Engine;\n}"),
            ("Ebpf.Vm/Engines/Interpreter/InterpreterEngine.cs", "sealed class InterpreterEngine { Region r; Faults f; }"),
            ("Ebpf.Vm/VmProgram.cs", "class VmProgram { InterpreterEngine e; }"));

        var violation = Assert.Single(ArchitectureRules.CoreDependsOnNothingAbove(tree.Read()["Ebpf.Vm"], "Runtime"));

        Assert.Equal("src/Ebpf.Vm/Runtime/ExecutionState.cs -> InterpreterEngine", violation.Key);
        Assert.Contains("src/Ebpf.Vm/Runtime/ExecutionState.cs:3 uses InterpreterEngine (src/Ebpf.Vm/Engines/Interpreter/InterpreterEngine.cs)",
            violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Engine_UsingVmProgram_IsReported_ButNotTheCore()
    {
        using var tree = new SyntheticTree(
            ("Ebpf.Vm/Runtime/Region.cs", "struct Region { }"),
            ("Ebpf.Vm/Engines/Interpreter/Loop.cs", "static class Loop\n{\n    static ulong Run(VmProgram p, Region r) => 0;\n}"),
            ("Ebpf.Vm/VmProgram.cs", "class VmProgram { }"));

        var violation = Assert.Single(ArchitectureRules.DependsOnlyOn(tree.Read()["Ebpf.Vm"], "Engines", ["Runtime"]));

        Assert.Contains("src/Ebpf.Vm/Engines/Interpreter/Loop.cs:3 uses VmProgram (src/Ebpf.Vm/VmProgram.cs)", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderCycle_ThroughThreeFolders_IsReported_WithEveryArrow()
    {
        using var tree = new SyntheticTree(
            ("P/A/X.cs", "class X { Y y; }"),
            ("P/B/Y.cs", "class Y { Z z; }"),
            ("P/C/Z.cs", "class Z\n{\n    static X Make() => new X();\n}"),
            ("P/D/Free.cs", "class Free { X x; }"));

        var violation = Assert.Single(ArchitectureRules.FolderCycles(tree.Read()));

        Assert.Equal("P: A <-> B <-> C", violation.Key);
        Assert.Contains("C -> A (1 references)", violation.Message, StringComparison.Ordinal);
        Assert.Contains("src/P/C/Z.cs:3 uses X (src/P/A/X.cs)", violation.Message, StringComparison.Ordinal);
        Assert.Contains("src/P/A/X.cs:1 uses Y (src/P/B/Y.cs)", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderCycle_WithTheProjectRoot_IsReported()
    {
        using var tree = new SyntheticTree(
            ("P/Spec.cs", "namespace P; public sealed class Spec { public Reader R; }"),
            ("P/Sub/Reader.cs", "namespace P.Sub; sealed class Reader { P.Spec Read() => null; }"));

        Assert.Equal("P: (root) <-> Sub", Assert.Single(ArchitectureRules.FolderCycles(tree.Read())).Key);
    }

    [Fact]
    public void Layers_WithoutCycles_PassEveryRule()
    {
        using var tree = new SyntheticTree(
            ("Ebpf.Vm/Runtime/Region.cs", "namespace Ebpf.Vm.Runtime; struct Region { }"),
            ("Ebpf.Vm/Engines/Engine.cs", "namespace Ebpf.Vm.Engines; class Engine { Ebpf.Vm.Runtime.Region r; }"),
            ("Ebpf.Vm/VmProgram.cs", "namespace Ebpf.Vm; class VmProgram { Engines.Engine e; Runtime.Region r; }"),
            ("Ebpf/Reader.cs", "class Reader { string path = \"/system/sysfs/procedure\"; }"));
        SourceTree read = tree.Read();

        Assert.Empty(ArchitectureRules.FolderCycles(read));
        Assert.Empty(ArchitectureRules.CoreDependsOnNothingAbove(read["Ebpf.Vm"], "Runtime"));
        Assert.Empty(ArchitectureRules.ImpureCode(read["Ebpf"]));
        Assert.Empty(ArchitectureRules.NativeImportsOutside(read, "Ebpf.Linux"));
    }

    [Fact]
    public void PureProject_NamingProcOrSys_OrDeclaringAPInvoke_IsReported()
    {
        using var tree = new SyntheticTree(
            ("Ebpf/Btf/Vmlinux.cs", "class Vmlinux { const string Path = \"/sys/kernel/btf/vmlinux\"; }"),
            ("Ebpf/Cpus.cs", "class Cpus\n{\n    string F(int n) => $\"/proc/{n}/status\";\n}"),
            ("Ebpf/Native.cs", "class Native { [DllImport(\"libc\")] static extern int getpid(); }"),
            ("Ebpf/Comment.cs", "// reads /proc/self/maps: not really, only a comment\nclass Comment { }"));

        var found = ArchitectureRules.ImpureCode(tree.Read()["Ebpf"]).Select(v => v.Message).ToList();

        Assert.Equal(3, found.Count);
        Assert.Contains(found, m => m.StartsWith("src/Ebpf/Btf/Vmlinux.cs:1 names a kernel file system path", StringComparison.Ordinal));
        Assert.Contains(found, m => m.StartsWith("src/Ebpf/Cpus.cs:3 names a kernel file system path", StringComparison.Ordinal));
        Assert.Contains(found, m => m.StartsWith("src/Ebpf/Native.cs:1 declares a P/Invoke", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("class A { string Text => $\"{B.Value}\"; }", true)]            // code inside an interpolation hole
    [InlineData("class A { string Text => $$\"\"\"{{B.Value}}\"\"\"; }", true)] // and inside a raw one
    [InlineData("class A { string Text => \"B.Value\"; }", false)]              // text of a string
    [InlineData("class A { /* B */ }", false)]                                 // a comment
    [InlineData("/// <see cref=\"B\"/>\nclass A { }", false)]                  // a doc reference
    [InlineData("class A { int B { get; } }", false)]                         // a member named like the type
    [InlineData("class A { void F() { B = 1; } int B; }", false)]             // an assignment to such a member
    [InlineData("enum A { B, C }", false)]                                     // an enum member
    [InlineData("class A { object o = x.B; }", false)]                         // a member access
    [InlineData("class A { object o = Ebpf.Far.B.Make(); }", true)]            // a namespace-qualified type
    [InlineData("class A { B Make() => new(); }", true)]                       // a return type
    [InlineData("class A { bool F(object o) => o is B { Length: 0 }; }", true)] // a property pattern
    public void References_AreTypeNames_InCode(string source, bool references)
    {
        using var tree = new SyntheticTree(
            ("P/Near/A.cs", source),
            ("P/Far/B.cs", "namespace Ebpf.Far; class B { }"));
        SourceProject project = tree.Read()["P"];

        var found = project.ReferencesOutOfFolder(project.Files.Single(f => f.Folder == "Near")).ToList();

        Assert.Equal(references, found.Any(r => r.Type == "B"));
    }

    [Theory]
    [InlineData("/proc", true)]
    [InlineData("/sys/fs/bpf", true)]
    [InlineData("mount -t bpf bpf /sys/fs/bpf", true)]
    [InlineData("/system", false)]
    [InlineData("/processes", false)]
    [InlineData("usr/sys", false)]
    public void KernelFileSystemPaths_AreRecognised(string text, bool expected) =>
        Assert.Equal(expected, ArchitectureRules.NamesKernelFileSystem(text));
}
