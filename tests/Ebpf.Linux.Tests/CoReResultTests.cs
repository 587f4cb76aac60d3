using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Ebpf.Btf;
using Ebpf.Linux.Links;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

/// <summary>
/// CO-RE programs built once against the build machine's vmlinux.h give correct results on the running kernel: the
/// task_struct fields they read (through relocated offsets) are those of a process this test execs, and the
/// type/enum/field-info relocations equal what the running kernel's BTF says. In the kernel matrix the same
/// objects run on 5.10, 6.1 and 6.12, whose task_struct layouts differ from the build machine's.
/// </summary>
public sealed class CoReResultTests
{
    private static readonly Lazy<BtfSpec> Vmlinux = new(() => BtfReader.Parse(File.ReadAllBytes("/sys/kernel/btf/vmlinux")));

    public CoReResultTests()
    {
        KernelAssert.RequireRoot();
        if (!File.Exists("/sys/kernel/btf/vmlinux")) Assert.Skip("the kernel has no BTF (/sys/kernel/btf/vmlinux): CO-RE cannot be relocated");
    }

    [Fact]
    public void CoreTask_ReadsTheExecdTask()
    {
        using KernelCollection collection = LoadAndAttach("tests/core_task.o", "core_task", out Link link);
        using var _ = link;
        KernelMap bss = collection.Maps.Values.Single(m => m.Name.EndsWith(".bss", StringComparison.Ordinal));
        byte[] value = ExecUntilSeen(bss, valueOffsetOfPid: 0);
        int child = BinaryPrimitives.ReadInt32LittleEndian(value);
        Assert.Equal(child, BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(4)));            // tgid == pid
        Assert.Equal(Environment.ProcessId, BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(8))); // real_parent->tgid
        Assert.Equal("true", Comm(value.AsSpan(12, 16)));
    }

    [Fact]
    public void CoreFlavors_RelocationsEqualTheRunningKernelsBtf()
    {
        using KernelCollection collection = LoadAndAttach("tests/core_flavors.o", "core_flavors", out Link link);
        using var _ = link;
        KernelMap bss = collection.Maps.Values.Single(m => m.Name.EndsWith(".bss", StringComparison.Ordinal));
        byte[] value = ExecUntilSeen(bss, valueOffsetOfPid: 0);
        ulong Field(int index) => BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(index * 8));
        BtfSpec kernel = Vmlinux.Value;
        uint taskId = kernel.FindByName("task_struct").First(id => kernel[id].Kind == BtfKind.Struct);
        var pidType = kernel.Find<BtfEnum>("pid_type", BtfKind.Enum);

        Assert.Equal(Field(0), Field(1));                                  // pid == tgid of the exec'd process
        Assert.Equal((ulong)Environment.ProcessId, Field(2));              // parent_tgid
        Assert.Equal(0UL, Field(3));                                       // missing: the guarded read never ran
        Assert.Equal(0UL, Field(4));                                       // has_missing
        Assert.Equal(1UL, Field(5));                                       // has_type
        Assert.Equal(0UL, Field(6));                                       // no_type
        Assert.Equal(kernel.SizeOf(taskId), Field(7));                     // task_size
        Assert.Equal((ulong)pidType.Values.Single(v => v.Name == "PIDTYPE_TGID").Value, Field(8));
        Assert.Equal(0UL, Field(9));                                       // nope_exists
        Assert.Equal(16UL, Field(12));                                     // comm_size
        Assert.Equal(1UL, Field(13));                                      // pid is signed
        Assert.Equal(taskId, Field(15));                                   // target type id
    }

    private static KernelCollection LoadAndAttach(string obj, string program, out Link link)
    {
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject(obj), new CollectionLoadOptions { TargetBtf = Vmlinux.Value });
        KernelCollection collection = KernelCollection.Load(spec);
        try
        {
            link = TracepointLink.Attach(collection.Program(program), "sched", "sched_process_exec");
            return collection;
        }
        catch
        {
            collection.Dispose();
            throw;
        }
    }

    // Other tests, and other processes on the machine (a second suite's ip, bpftool, nsenter), exec too and overwrite
    // the record: exec /bin/true until the map holds this child's pid (bounded tries, and at most a generous time).
    private static byte[] ExecUntilSeen(KernelMap bss, int valueOffsetOfPid)
    {
        var value = new byte[bss.ValueSize];
        var pids = new List<int>();
        long deadline = Environment.TickCount64 + (long)Wait.Generous.TotalMilliseconds;
        for (int attempt = 0; attempt < 200 && (attempt < 20 || Environment.TickCount64 < deadline); attempt++)
        {
            using Process child = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
            child.WaitForExit();
            pids.Add(child.Id);
            Assert.True(bss.TryLookup(new byte[4], value));
            if (BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(valueOffsetOfPid)) == child.Id) return value;
        }
        Assert.Fail($"the program never recorded one of the {pids.Count} exec'd children (last {string.Join(", ", pids.TakeLast(10))}); last value pid {BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(valueOffsetOfPid))}");
        return value;
    }

    private static string Comm(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
