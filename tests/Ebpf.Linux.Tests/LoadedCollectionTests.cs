using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>KernelCollection and KernelProgram behind the backend-neutral ILoadedCollection and IProgram.</summary>
public sealed class LoadedCollectionTests
{
    public LoadedCollectionTests() => KernelAssert.RequireRoot();

    [Fact]
    public void ControlPlaneCode_OnTheInterfaces_RunsAgainstTheKernel()
    {
        using ILoadedCollection collection = KernelCollection.Load(CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/tc_pass.o")));
        Assert.Equal(["tc_pass"], collection.ProgramNames);
        Assert.Contains("tc_seen", collection.MapNames);
        Assert.Equal((0u, 3ul), RunThreeTimes(collection));
        var e = Assert.Throws<KeyNotFoundException>(() => collection.GetProgram("nope"));
        Assert.Contains("tc_pass", e.Message);
    }

    // What a control plane would write once for both backends: run the classifier, read the counter it keeps.
    private static (uint Verdict, ulong Seen) RunThreeTimes(ILoadedCollection collection)
    {
        IProgram program = collection.GetProgram("tc_pass");
        Assert.Equal(ProgramType.SchedClassifier, program.Type);
        byte[] frame = new byte[64];
        frame[12] = 0x08;   // EtherType IPv4
        byte[] output = new byte[frame.Length + 256];
        uint verdict = 0;
        for (int i = 0; i < 3; i++)
        {
            verdict = program.TestRun(frame, output, out int length, out _);
            Assert.Equal(frame.Length, length);
        }
        return (verdict, collection.GetMap<uint, ulong>("tc_seen").Lookup(0));
    }
}
