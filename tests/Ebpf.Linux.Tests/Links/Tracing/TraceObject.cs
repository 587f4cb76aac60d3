using System.Runtime.InteropServices;
using Ebpf.Btf;
using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links.Tracing;

/// <summary>
/// One of bpf/tests/trace_*.c loaded into the kernel, with its <c>counts</c> map read per hook slot (see
/// trace_counts.h): <c>counts[(tgid &lt;&lt; 8) | slot]</c>.
/// </summary>
internal sealed partial class TraceObject : IDisposable
{
    internal const int Tracepoint = 1, RawTp = 2, TpBtf = 3, Fentry = 4, Fexit = 5, Lsm = 6, Kprobe = 7, Kretprobe = 8,
        Uprobe = 9, Uretprobe = 10, PerfEvent = 11, KprobeMulti = 12, UprobeMulti = 13, UretprobeMulti = 14;

    private static readonly Lazy<BtfSpec> s_vmlinux = new(() => BtfReader.Parse(File.ReadAllBytes("/sys/kernel/btf/vmlinux")));

    private TraceObject(CollectionSpec spec, KernelCollection collection) => (Spec, Collection) = (spec, collection);

    public CollectionSpec Spec { get; }

    public KernelCollection Collection { get; }

    /// <summary>Loads bpf/tests/NAME.o; a kernel that cannot load its programs skips the test.</summary>
    public static TraceObject Load(string name)
    {
        CollectionSpec spec = LoadSpec(name);
        return new TraceObject(spec, KernelAssert.RunOrSkip(() => KernelCollection.Load(spec)));
    }

    /// <summary>The spec of bpf/tests/NAME.o, CO-RE relocated against the running kernel.</summary>
    public static CollectionSpec LoadSpec(string name) =>
        CollectionSpec.LoadFile(RepoPaths.BpfObject($"tests/{name}.o"), new CollectionLoadOptions { TargetBtf = s_vmlinux.Value });

    public KernelProgram Program(string name) => Collection.Program(name);

    public ProgramSpec SpecOf(string name) => Spec.Programs.Single(p => p.Name == name);

    /// <summary>Auto-attaches program <paramref name="name"/> by its section.</summary>
    public Link AutoAttach(string name) => Ebpf.Linux.Links.AutoAttach.Attach(Program(name), SpecOf(name));

    /// <summary>What this process triggered at <paramref name="slot"/>.</summary>
    public ulong Count(int slot) => CountKey(((ulong)Environment.ProcessId << 8) | (uint)slot);

    /// <summary>The raw counter at <paramref name="key"/> (slot numbers alone: counters kept for every process).</summary>
    public ulong CountKey(ulong key) => Collection.Map("counts").TryLookup(key, out ulong value) ? value : 0;

    /// <summary>
    /// The counter once it stopped moving (two reads 100 ms apart agree, at most 5 s): a probe another thread of this
    /// process (a parallel test) hit just before the detach may still be running its program when Dispose returns,
    /// and its count lands a moment later (seen on a slow emulated CPU). Only after that must the count stand still.
    /// </summary>
    public static ulong Settled(Func<ulong> read)
    {
        ulong last = read();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
            ulong now = read();
            if (now == last) return now;
            last = now;
        }
        return last;
    }

    public void Dispose() => Collection.Dispose();

    /// <summary>libc's getpid (not cached by glibc since 2.25): the function the uprobe tests probe.</summary>
    [LibraryImport("libc.so.6", EntryPoint = "getpid")]
    internal static partial int LibcGetpid();

    /// <summary>libc's getppid: one getppid(2) system call per call.</summary>
    [LibraryImport("libc.so.6", EntryPoint = "getppid")]
    internal static partial int LibcGetppid();

    /// <summary>Opens and closes <paramref name="path"/> <paramref name="times"/> times (openat(2) each).</summary>
    internal static void OpenFile(string path, int times)
    {
        for (int i = 0; i < times; i++) File.OpenHandle(path).Dispose();
    }

    /// <summary>Whether the kernel lists a link with this id (bpftool link list agrees).</summary>
    internal static bool LinkExists(uint id) => KernelObjects.LinkIds().Contains(id);
}
