using System.Net;
using System.Net.Sockets;
using Ebpf.Linux.Features;
using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links;

/// <summary>cgroup hooks on a test cgroup: a child process placed in it is counted and filtered, the test process is not.</summary>
public sealed class CgroupTests
{
    private const string SendFiveToCountedPort = "for i in 1 2 3 4 5; do echo x > /dev/udp/127.0.0.1/9999; done";

    [Fact]
    public void TryFindMount_IsTheCgroup2Root_WhereTestCgroupsAreMade()
    {
        using var cgroup = new TestCgroup();   // mounts cgroup2 itself when the host has no mount
        Assert.True(Cgroup.TryFindMount(out string? root));
        Assert.True(File.Exists(Path.Combine(root, "cgroup.subtree_control")), $"{root} is no cgroup2 directory");   // cgroup v1 has none
        Assert.Equal(TestCgroup.Root, root);   // Ebpf.Testing finds the mount on its own: the two must agree
        Assert.True(Directory.Exists(cgroup.Path));
    }

    [Fact]
    public void Link_CountsTheChildsEgress_UpdateSwapsProgram_DetachesOnDispose()
    {
        using var leftovers = new Leftovers();
        using var cgroup = leftovers.Track(new TestCgroup());
        using var objects = leftovers.Track(HookObjects.Load("cgroup_hooks.o"));
        KernelMap counts = objects.Map("counts");
        KernelProgram first = objects.Program("count_egress"), second = objects.Program("count_egress2");
        uint linkId;
        using (var link = KernelAssert.RunOrSkip(() => CgroupLink.Attach(first, cgroup.Path, AttachType.CgroupInetEgress)))
        {
            LinkInfo info = link.Info();
            linkId = info.Id;
            Assert.Equal(LinkType.Cgroup, info.Type);
            Assert.Equal(AttachType.CgroupInetEgress, info.AttachType);
            Assert.NotEqual(0UL, info.CgroupId);
            AttachedPrograms attached = ProgramQuery.Cgroup(cgroup.Path, AttachType.CgroupInetEgress);
            Assert.Equal([first.Id], attached.ProgramIds);
            // bpftool 7.1 queries every attach type it knows and exits 255 on kernels that refuse the newer ones
            // (5.10): there only our own query above is the oracle.
            var (code, shown, _) = ExternalTool.TryRun(BpfTool.IsAvailable ? "bpftool" : "/usr/sbin/bpftool", "cgroup", "show", cgroup.Path);
            if (code == 0 || KernelAssert.ReleaseAtLeast("5.15"))
                Assert.Contains($"{first.Id}", shown, StringComparison.Ordinal);

            Assert.Equal(0, cgroup.RunInside(SendFiveToCountedPort).ExitCode);
            SendFromTestProcess();                                   // outside the cgroup: not counted
            Assert.Equal(5UL, HookObjects.Read(counts, 0));

            link.Update(second);
            Assert.Equal([second.Id], ProgramQuery.Cgroup(cgroup.Path, AttachType.CgroupInetEgress).ProgramIds);
            Assert.Equal(0, cgroup.RunInside(SendFiveToCountedPort).ExitCode);
            Assert.Equal(5UL, HookObjects.Read(counts, 0));
            Assert.Equal(5UL, HookObjects.Read(counts, 1));
        }
        Assert.True(HookObjects.Eventually(() => !KernelObjects.LinkIds().Contains(linkId)), $"link {linkId} outlived its dispose");
        Assert.True(HookObjects.Eventually(() => ProgramQuery.Cgroup(cgroup.Path, AttachType.CgroupInetEgress).ProgramIds.Count == 0), "a program is still attached");
        Assert.Equal(0, cgroup.RunInside(SendFiveToCountedPort).ExitCode);
        Assert.Equal(5UL, HookObjects.Read(counts, 1));
    }

    [Fact]
    public void LegacyMulti_BothProgramsRun_QueryReportsFlags_DetachOnDispose()
    {
        using var leftovers = new Leftovers();
        using var cgroup = leftovers.Track(new TestCgroup());
        using var objects = leftovers.Track(HookObjects.Load("cgroup_hooks.o"));
        KernelMap counts = objects.Map("counts");
        KernelProgram first = objects.Program("count_egress"), second = objects.Program("count_egress2");
        using (var a = CgroupAttachment.Attach(first, cgroup.Path, AttachType.CgroupInetEgress, CgroupAttachFlags.AllowMulti))
        using (var b = CgroupAttachment.Attach(second, cgroup.Path, AttachType.CgroupInetEgress, CgroupAttachFlags.AllowMulti))
        {
            AttachedPrograms attached = ProgramQuery.Cgroup(cgroup.Path, AttachType.CgroupInetEgress);
            Assert.Equal([first.Id, second.Id], attached.ProgramIds);
            Assert.Equal(CgroupAttachFlags.AllowMulti, attached.AttachFlags);
            // An exclusive program cannot join a multi hook.
            var refused = Assert.ThrowsAny<Exception>(() => CgroupAttachment.Attach(first, cgroup.Path, AttachType.CgroupInetEgress, CgroupAttachFlags.None));
            Assert.True(refused is UnauthorizedAccessException or BpfException { Errno: Errno.EPERM or Errno.EEXIST }, refused.ToString());

            Assert.Equal(0, cgroup.RunInside(SendFiveToCountedPort).ExitCode);
            Assert.Equal(5UL, HookObjects.Read(counts, 0));
            Assert.Equal(5UL, HookObjects.Read(counts, 1));
        }
        Assert.True(HookObjects.Eventually(() => ProgramQuery.Cgroup(cgroup.Path, AttachType.CgroupInetEgress).ProgramIds.Count == 0), "a program is still attached");
    }

    [Fact]
    public void LegacyExclusive_UpdateReplacesTheOnlyProgram()
    {
        using var leftovers = new Leftovers();
        using var cgroup = leftovers.Track(new TestCgroup());
        using var objects = leftovers.Track(HookObjects.Load("cgroup_hooks.o"));
        KernelMap counts = objects.Map("counts");
        using (var a = CgroupAttachment.Attach(objects.Program("count_egress"), cgroup.Path, AttachType.CgroupInetEgress, CgroupAttachFlags.None))
        {
            a.Update(objects.Program("count_egress2"));
            AttachedPrograms attached = ProgramQuery.Cgroup(cgroup.Path, AttachType.CgroupInetEgress);
            Assert.Equal([objects.Program("count_egress2").Id], attached.ProgramIds);
            Assert.Equal(CgroupAttachFlags.None, attached.AttachFlags);
            Assert.Equal(0, cgroup.RunInside(SendFiveToCountedPort).ExitCode);
            Assert.Equal(0UL, HookObjects.Read(counts, 0));
            Assert.Equal(5UL, HookObjects.Read(counts, 1));
        }
        Assert.True(HookObjects.Eventually(() => ProgramQuery.Cgroup(cgroup.Path, AttachType.CgroupInetEgress).ProgramIds.Count == 0), "a program is still attached");
    }

    [Fact]
    public void Connect4_DeniesTheChildsConnectToOnePort_OthersAndOutsidersPass()
    {
        using var leftovers = new Leftovers();
        using var cgroup = leftovers.Track(new TestCgroup());
        using var objects = leftovers.Track(HookObjects.Load("cgroup_hooks.o"));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int open = ((IPEndPoint)listener.LocalEndpoint).Port;
        using (var attachment = Cgroup.Attach(objects.Program("deny_connect4"), cgroup.Path, AttachType.CgroupInet4Connect))
        {
            Assert.Equal(KernelFeatures.LinkType(LinkType.Cgroup).IsSupported, attachment is CgroupLink);
            var denied = cgroup.RunInside("exec 3<>/dev/tcp/127.0.0.1/9998");
            Assert.NotEqual(0, denied.ExitCode);
            Assert.Contains("not permitted", denied.Stderr, StringComparison.Ordinal);
            Assert.Equal(0, cgroup.RunInside($"exec 3<>/dev/tcp/127.0.0.1/{open}").ExitCode);
            Assert.Equal(1UL, HookObjects.Read(objects.Map("counts"), 2));
            // The test process is not in the cgroup: its connect reaches the stack (refused or accepted, not denied).
            using var outsider = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var e = Record.Exception(() => outsider.Connect(IPAddress.Loopback, 9998));
            Assert.True(e is null or SocketException { SocketErrorCode: SocketError.ConnectionRefused }, e?.ToString());
        }
        Assert.DoesNotContain("not permitted", cgroup.RunInside("exec 3<>/dev/tcp/127.0.0.1/9998").Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AttachType.CgroupInetSockCreate, "deny_udp_socket", "echo x > /dev/udp/127.0.0.1/9999")]
    [InlineData(AttachType.CgroupSysctl, "deny_sysctl_read", "cat /proc/sys/kernel/ostype")]
    [InlineData(AttachType.CgroupDevice, "deny_dev_null", "echo x > /dev/null")]
    public void DenyingProgram_StopsTheChild_UntilDisposed(AttachType hook, string program, string script)
    {
        using var leftovers = new Leftovers();
        using var cgroup = leftovers.Track(new TestCgroup());
        using var objects = leftovers.Track(HookObjects.Load("cgroup_hooks.o"));
        Assert.Equal(0, cgroup.RunInside(script).ExitCode);
        using (var attachment = Cgroup.Attach(objects.Program(program), cgroup.Path, hook))
        {
            Assert.Equal([objects.Program(program).Id], ProgramQuery.Cgroup(cgroup.Path, hook).ProgramIds);
            var denied = cgroup.RunInside(script);
            Assert.NotEqual(0, denied.ExitCode);
            Assert.Contains("not permitted", denied.Stderr, StringComparison.Ordinal);
        }
        Assert.True(HookObjects.Eventually(() => cgroup.RunInside(script).ExitCode == 0), "still denied after dispose");
    }

    private static void SendFromTestProcess()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.SendTo("x"u8.ToArray(), new IPEndPoint(IPAddress.Loopback, 9999));
    }
}
