using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links.Tracing;

/// <summary>BPF iterators of bpf/tests/trace_iter.c read as streams.</summary>
public sealed class IteratorLinkTests
{
    public IteratorLinkTests() => KernelAssert.RequireRoot();

    [Fact]
    public void TaskIterator_ListsThisProcess_WithItsComm()
    {
        using var obj = TraceObject.Load("trace_iter");
        using var link = Assert.IsType<IteratorLink>(KernelAssert.RunOrSkip(() => obj.AutoAttach("dump_tasks")));
        Assert.Equal(LinkType.Iter, link.Info().Type);
        string comm = File.ReadAllText("/proc/self/comm").TrimEnd('\n');
        string text = link.ReadAllText();
        int pid = Environment.ProcessId;
        Assert.Contains($"\n{pid} {pid} {comm}\n", "\n" + text, StringComparison.Ordinal);
        Assert.True(text.Split('\n').Length > 2, text);                        // other tasks too (kernel threads at least)
    }

    [Fact]
    public void TaskIterator_EachOpenIsAFreshWalk()
    {
        using var obj = TraceObject.Load("trace_iter");
        using var link = Assert.IsType<IteratorLink>(KernelAssert.RunOrSkip(() => obj.AutoAttach("dump_tasks")));
        for (int i = 0; i < 2; i++)
        {
            using Stream stream = link.Open();
            Assert.False(stream.CanSeek);
            using var reader = new StreamReader(stream);
            Assert.Contains($"{Environment.ProcessId} {Environment.ProcessId} ", reader.ReadToEnd(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MapIterator_ListsAMapOfThisProcess()
    {
        using var obj = TraceObject.Load("trace_iter");
        using var link = Assert.IsType<IteratorLink>(KernelAssert.RunOrSkip(() => obj.AutoAttach("dump_maps")));
        using KernelMap map = KernelMap.Create(MapType.Array, 4, 4, 1, "t_iter_seen");
        Assert.Contains($"{map.Id} t_iter_seen\n", link.ReadAllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_RemovesTheLink()
    {
        using var obj = TraceObject.Load("trace_iter");
        uint id;
        using (Link link = KernelAssert.RunOrSkip(() => obj.AutoAttach("dump_tasks")))
            id = link.Info().Id;
        Assert.True(HookObjects.Eventually(() => !TraceObject.LinkExists(id)), $"link {id} still exists after dispose");
    }
}
