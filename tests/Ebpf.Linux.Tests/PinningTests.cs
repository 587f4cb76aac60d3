using System.Diagnostics;
using System.Globalization;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>Pins in bpffs: they outlive the process; bpftool sees them.</summary>
public sealed class PinningTests
{
    private const string ChildVariable = "EBPF_NET_PIN_CHILD_DIR";

    public PinningTests() => KernelAssert.RequireRoot();

    /// <summary>
    /// Runs twice: the test process starts a child (this test executable, filtered to this test) that creates a map, a
    /// program and a raw tracepoint link, pins them and exits; the parent then reopens the pins.
    /// </summary>
    [Fact]
    public void Pins_SurviveProcessRestart()
    {
        if (Environment.GetEnvironmentVariable(ChildVariable) is { Length: > 0 } childDir)
        {
            CreateAndPin(childDir);
            return;
        }
        using var dir = new BpfFsDirectory();
        RunChild(dir.Path);

        using var map = KernelMap.OpenPinned(dir["map"]);
        Assert.Equal("t_pinned_map", map.Name);
        Assert.True(map.TryLookup(7u, out ulong value));
        Assert.Equal(0xfeedUL, value);

        using var prog = KernelProgram.OpenPinned(dir["prog"]);
        Assert.Equal("t_pinned_prog", prog.Name);
        Assert.Equal(ProgramType.RawTracepoint, prog.Type);
        var shown = BpfTool.Json("prog", "show", "pinned", dir["prog"]);
        Assert.Equal(prog.Id, shown.GetProperty("id").GetUInt32());
        Assert.Equal("t_pinned_prog", shown.GetProperty("name").GetString());
        Assert.Equal(ProgramTag.Format(prog.Info().Tag), shown.GetProperty("tag").GetString());

        using var link = BpfFs.Open(dir["link"]);
        LinkInfo info = LinkInfo.Get(link);
        Assert.Equal(LinkType.RawTracepoint, info.Type);
        Assert.Equal("sys_enter", info.TracepointName);
        Assert.Equal(prog.Id, info.ProgramId);
        Assert.Equal(info.Id, BpfTool.Json("link", "show", "pinned", dir["link"]).GetProperty("id").GetUInt32());

        Assert.True(BpfFs.Unpin(dir["link"]));
        Assert.False(BpfFs.Unpin(dir["link"]));
        Assert.Throws<FileNotFoundException>(() => BpfFs.Open(dir["link"]));
    }

    [Fact]
    public void Pin_ReadOnlyAccess_RefusesUpdates()
    {
        using var dir = new BpfFsDirectory();
        using (var map = KernelMap.Create(MapType.Hash, 4, 4, 4, "t_ro_pin"))
        {
            map.Update(1u, 1u);
            map.Pin(dir["ro"]);
        }
        using var readOnly = KernelMap.OpenPinned(dir["ro"], PinAccess.ReadOnly);
        Assert.True(readOnly.TryLookup(1u, out uint v));
        Assert.Equal(1u, v);
        Assert.Throws<UnauthorizedAccessException>(() => readOnly.Update(1u, 2u));
    }

    [Fact]
    public void Pin_Errors_NameThePath()
    {
        using var dir = new BpfFsDirectory();
        using var map = KernelMap.Create(MapType.Array, 4, 4, 1, "t_pin_err");
        map.Pin(dir["a"]);
        var exists = Assert.Throws<BpfException>(() => map.Pin(dir["a"]));
        Assert.Equal(Errno.EEXIST, exists.Errno);
        Assert.Contains(dir["a"], exists.Message, StringComparison.Ordinal);
        var noDir = Assert.Throws<BpfException>(() => map.Pin(dir["missing/b"]));
        Assert.Equal(Errno.ENOENT, noDir.Errno);
        var notBpffs = Assert.ThrowsAny<Exception>(() => map.Pin("/tmp/ebpf-net-not-bpffs-" + Guid.NewGuid().ToString("N")));
        Assert.Contains("BPF file system", notBpffs.Message, StringComparison.Ordinal);
        using var prog = TestPrograms.Return(ProgramType.SocketFilter, 0, "t_pin_kind");
        prog.Pin(dir["p"]);
        var kind = Assert.Throws<BpfException>(() => KernelMap.OpenPinned(dir["p"]));   // a program is not a map
        Assert.Contains("bpf-prog, not a bpf-map", kind.Message, StringComparison.Ordinal);
    }

    private static void CreateAndPin(string dir)
    {
        using var map = KernelMap.Create(MapType.Hash, 4, 8, 8, "t_pinned_map");
        map.Update(7u, 0xfeedUL);
        map.Pin(Path.Combine(dir, "map"));
        using var prog = TestPrograms.Return(ProgramType.RawTracepoint, 0, "t_pinned_prog");
        prog.Pin(Path.Combine(dir, "prog"));
        using var link = TestPrograms.RawTracepointLink(prog, "sys_enter");
        BpfFs.Pin(link, Path.Combine(dir, "link"));
        // The child exits: its fds close; the pins keep map, programs and link alive.
    }

    private static void RunChild(string dir)
    {
        // xunit v3 test projects are executables: re-run this one (also a single-file bundle in the kernel matrix,
        // where no dotnet host exists); under `dotnet exec` the host runs the assembly again.
        string process = Environment.ProcessPath!;
        var psi = Path.GetFileNameWithoutExtension(process) != "dotnet"
            ? new ProcessStartInfo(process)
            : new ProcessStartInfo(process) { ArgumentList = { typeof(PinningTests).Assembly.Location } };
        psi.ArgumentList.Add("-method");
        psi.ArgumentList.Add($"{typeof(PinningTests).FullName}.{nameof(Pins_SurviveProcessRestart)}");
        psi.Environment[ChildVariable] = dir;
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        using var child = Process.Start(psi)!;
        string output = child.StandardOutput.ReadToEnd() + child.StandardError.ReadToEnd();
        child.WaitForExit();
        Assert.True(child.ExitCode == 0, $"child exited {child.ExitCode.ToString(CultureInfo.InvariantCulture)}:\n{output}");
        Assert.Contains("Total: 1, Errors: 0, Failed: 0", output, StringComparison.Ordinal);
    }
}
