using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>
/// Links as kernel objects that outlive the process: a pinned cgroup link keeps working after its creator closed
/// every fd, another process (this test executable, re-run with a filter) re-adopts it and replaces its program.
/// </summary>
public sealed class LinkPinningTests
{
    private const string LinkVariable = "EBPF_NET_TEST_PINNED_LINK", ProgramVariable = "EBPF_NET_TEST_PINNED_PROG", ReportVariable = "EBPF_NET_TEST_REPORT";

    [Fact]
    public void PinnedLink_SurvivesItsCreator_AnotherProcessReadoptsAndUpdatesIt_UnpinDetaches()
    {
        using var leftovers = new Leftovers();
        using var cgroup = leftovers.Track(new TestCgroup());
        using var dir = new BpfFsDirectory();
        using var objects = leftovers.Track(HookObjects.Load("cgroup_hooks.o"));
        KernelMap counts = objects.Map("counts");
        KernelProgram first = objects.Program("count_egress"), second = objects.Program("count_egress2");
        uint linkId;
        using (var link = KernelAssert.RunOrSkip(() => CgroupLink.Attach(first, cgroup.Path, AttachType.CgroupInetEgress)))
        {
            linkId = link.Info().Id;
            link.Pin(dir["link"]);
        }
        second.Pin(dir["second"]);
        Assert.Contains(Link.List(), l => l.Id == linkId && l.ProgramId == first.Id && l.Type == LinkType.Cgroup);
        Assert.Equal(0, cgroup.RunInside("echo x > /dev/udp/127.0.0.1/9999").ExitCode);
        Assert.Equal(1UL, HookObjects.Read(counts, 0));

        string report = Path.Combine(Path.GetTempPath(), $"ebpf-net-link-report-{Environment.ProcessId}");
        try
        {
            var child = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!)
            {
                ArgumentList = { "-method", $"{typeof(LinkPinningTests).FullName}.{nameof(Child_ReadoptsThePinnedLinkAndUpdatesIt)}" },
                Environment = { [LinkVariable] = dir["link"], [ProgramVariable] = dir["second"], [ReportVariable] = report },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using (var process = System.Diagnostics.Process.Start(child)!)
            {
                string stdout = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                Assert.True(process.ExitCode == 0, stdout + process.StandardError.ReadToEnd());
            }
            Assert.Equal($"{linkId} {second.Id}", File.ReadAllText(report));
        }
        finally
        {
            File.Delete(report);
        }

        Assert.Equal([second.Id], ProgramQuery.Cgroup(cgroup.Path, AttachType.CgroupInetEgress).ProgramIds);
        Assert.Equal(0, cgroup.RunInside("echo x > /dev/udp/127.0.0.1/9999").ExitCode);
        Assert.Equal(1UL, HookObjects.Read(counts, 1));
        Assert.True(Link.Unpin(dir["link"]));
        Assert.True(HookObjects.Eventually(() => !KernelObjects.LinkIds().Contains(linkId)), $"link {linkId} outlived its dispose");
        Assert.True(HookObjects.Eventually(() => ProgramQuery.Cgroup(cgroup.Path, AttachType.CgroupInetEgress).ProgramIds.Count == 0), "a program is still attached");
    }

    /// <summary>The child half of the test above; on its own it skips.</summary>
    [Fact]
    public void Child_ReadoptsThePinnedLinkAndUpdatesIt()
    {
        if (Environment.GetEnvironmentVariable(LinkVariable) is not { Length: > 0 } linkPath)
        {
            Assert.Skip($"runs as the child process of {nameof(PinnedLink_SurvivesItsCreator_AnotherProcessReadoptsAndUpdatesIt_UnpinDetaches)}");
            return;
        }
        using var link = Link.OpenPinned(linkPath);
        using var program = KernelProgram.OpenPinned(Environment.GetEnvironmentVariable(ProgramVariable)!);
        LinkInfo before = link.Info();
        Assert.Equal(LinkType.Cgroup, before.Type);
        Assert.Equal(AttachType.CgroupInetEgress, before.AttachType);
        link.Update(program);
        Assert.Equal(program.Id, link.Info().ProgramId);
        File.WriteAllText(Environment.GetEnvironmentVariable(ReportVariable)!, $"{before.Id} {program.Id}");
    }
}
