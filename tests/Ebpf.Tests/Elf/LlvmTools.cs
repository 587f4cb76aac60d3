using Ebpf.Testing;

namespace Ebpf.Tests.Elf;

/// <summary>Runs the LLVM binutils the tests use as oracles (llvm-readelf, llvm-objdump, llvm-mc).</summary>
internal static class LlvmTools
{
    /// <summary>Every compiled BPF object of the test output, relative path and full path.</summary>
    public static IEnumerable<string> Objects() =>
        Directory.EnumerateFiles(RepoPaths.BpfObjects, "*.o", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepoPaths.BpfObjects, p))
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> ObjectData()
    {
        var data = new TheoryData<string>();
        foreach (string o in Objects()) data.Add(o);
        return data;
    }

    /// <summary>Runs <paramref name="tool"/>; skips the test when it is not installed, fails when it fails.</summary>
    public static string Run(string tool, params string[] arguments) => ExternalTool.Run(tool, arguments);
}
