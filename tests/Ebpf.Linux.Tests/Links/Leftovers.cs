using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>
/// Checks, when disposed (declare it first: <c>using</c> disposes it last), that a test left nothing behind: none of
/// the tracked programs is still loaded (so none is attached anywhere: no link, filter, cgroup or XDP hook holds it),
/// the tracked namespaces (with their interfaces and qdiscs) and cgroups are gone. Ids, not counts: other processes
/// on the machine create objects meanwhile.
/// </summary>
internal sealed class Leftovers : IDisposable
{
    private readonly HashSet<uint> _programs = [];
    private readonly List<string> _namespaces = [];
    private readonly List<string> _cgroups = [];

    public KernelCollection Track(KernelCollection collection)
    {
        foreach (KernelProgram p in collection.Programs.Values) _programs.Add(p.Id);
        return collection;
    }

    public KernelProgram Track(KernelProgram program)
    {
        _programs.Add(program.Id);
        return program;
    }

    public VethPair Track(VethPair veth)
    {
        _namespaces.Add(veth.NamespaceA);
        _namespaces.Add(veth.NamespaceB);
        return veth;
    }

    public TestCgroup Track(TestCgroup cgroup)
    {
        _cgroups.Add(cgroup.Path);
        return cgroup;
    }

    public void Dispose()
    {
        // A program is freed in deferred kernel work after its last reference goes: wait for that, boundedly.
        uint[] loaded = Wait.For(() => (uint[])[.. _programs.Intersect(KernelObjects.ProgramIds())], l => l.Length == 0);
        Assert.True(loaded.Length == 0, $"programs still loaded (attached somewhere?): {string.Join(", ", loaded)}");
        if (_namespaces.Count > 0)
        {
            string list = ExternalTool.Run("ip", "netns", "list");
            Assert.DoesNotContain(_namespaces, ns => list.Contains(ns, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(_cgroups, Directory.Exists);
    }
}
