using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Tests.Interop;

/// <summary>
/// Every field of every attribute and info struct sits where the kernel expects it: checked against the running
/// kernel's BTF (read by our BTF reader, so also in the matrix's guests) and, by clang's <c>offsetof</c>, against the
/// system's UAPI header.
/// </summary>
public sealed class AttrLayoutTests
{
    // C# struct → the C aggregate and member path prefix holding its fields.
    private static readonly (Type Type, string Aggregate, string Prefix, int? CSize)[] s_structs =
    [
        (typeof(MapCreateAttr), "union bpf_attr", "", null),
        (typeof(MapElemAttr), "union bpf_attr", "", null),
        (typeof(MapBatchAttr), "union bpf_attr", "batch.", null),
        (typeof(ProgLoadAttr), "union bpf_attr", "", null),
        (typeof(ObjPinAttr), "union bpf_attr", "", null),
        (typeof(TestRunAttr), "union bpf_attr", "test.", null),
        (typeof(GetIdAttr), "union bpf_attr", "", null),
        (typeof(ObjInfoAttr), "union bpf_attr", "info.", null),
        (typeof(RawTracepointOpenAttr), "union bpf_attr", "raw_tracepoint.", null),
        (typeof(BtfLoadAttr), "union bpf_attr", "", null),
        (typeof(EnableStatsAttr), "union bpf_attr", "enable_stats.", null),
        (typeof(LinkCreateAttr), "union bpf_attr", "link_create.", null),
        (typeof(ProgBindMapAttr), "union bpf_attr", "prog_bind_map.", null),
        (typeof(ProgAttachAttr), "union bpf_attr", "", null),
        (typeof(ProgQueryAttr), "union bpf_attr", "query.", null),
        (typeof(LinkCreateNetfilterAttr), "union bpf_attr", "link_create.", null),
        (typeof(TaskFdQueryAttr), "union bpf_attr", "task_fd_query.", null),
        (typeof(ProgInfoRecord), "struct bpf_prog_info", "", 232),
        (typeof(MapInfoRecord), "struct bpf_map_info", "", 104),
        (typeof(BtfInfoRecord), "struct bpf_btf_info", "", 32),
        (typeof(LinkInfoRecord), "struct bpf_link_info", "", 64),
    ];

    // Records ending in the kernel's per-type union as opaque bytes: the union grows with new link types, so an older
    // kernel's struct is shorter although every field named here is there.
    private static readonly HashSet<Type> s_openEnded = [typeof(LinkInfoRecord)];

    // C# names whose C spelling is not the snake_case of the C# name.
    private static readonly Dictionary<string, string> s_renamed = new()
    {
        ["LinkInfoRecord.Union"] = "raw_tracepoint",
        ["ProgQueryAttr.Count"] = "prog_cnt",
        ["LinkCreateNetfilterAttr.ProtocolFamily"] = "netfilter.pf",
        ["LinkCreateNetfilterAttr.HookNumber"] = "netfilter.hooknum",
        ["LinkCreateNetfilterAttr.Priority"] = "netfilter.priority",
        ["LinkCreateNetfilterAttr.NetfilterFlags"] = "netfilter.flags",
        ["TaskFdQueryAttr.BufferLength"] = "buf_len",
        ["TaskFdQueryAttr.Buffer"] = "buf",
        ["TaskFdQueryAttr.ProgramId"] = "prog_id",
        ["TaskFdQueryAttr.ProbeAddress"] = "probe_addr",
        ["ProgInfoRecord.GplCompatible"] = "",            // a bitfield: offsetof does not apply
    };

    /// <summary>
    /// Every field the running kernel has sits at the kernel's offset (from its BTF); fields it lacks (an older kernel)
    /// are left out, and then our record may be longer than the kernel's (the kernel accepts a longer record whose
    /// tail is zero). Where the kernel has every field, the sizes are equal (but for records ending in an opaque union).
    /// </summary>
    [Fact]
    public void Offsets_MatchRunningKernelBtf()
    {
        KernelBtfLayout.RequireKernelBtf();
        var wrong = new List<string>();
        int checkedFields = 0, missing = 0;
        foreach (var (type, aggregate, prefix, csize) in s_structs)
        {
            bool complete = true;
            foreach (var (field, member, offset) in Fields(type))
            {
                int? kernel = KernelBtfLayout.OffsetOf(aggregate, prefix + member);
                if (kernel is null)
                {
                    complete = false;
                    missing++;
                    continue;
                }
                checkedFields++;
                if (kernel != offset) wrong.Add($"{type.Name}.{field}: at {offset}, {aggregate}.{prefix}{member} at {kernel}");
            }
            int size = Marshal.SizeOf(type);
            uint kernelSize = KernelBtfLayout.Aggregate(aggregate).Size;
            if (csize is int expected)
            {
                if (size != expected) wrong.Add($"{type.Name}: size {size}, expected {expected}");
                if (complete && !s_openEnded.Contains(type) ? kernelSize != expected : kernelSize > expected)
                    wrong.Add($"{type.Name}: {aggregate} is {kernelSize} bytes on this kernel, {size} here ({(complete ? "every field present" : "some fields missing")})");
            }
            else if (complete && kernelSize < size)
                wrong.Add($"{type.Name}: {size} bytes exceed {aggregate} ({kernelSize})");
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        // 5.10 lacks about 30 of them (tcx, netfilter, uprobe.multi, newer info fields); most must be there.
        Assert.True(checkedFields > 150, $"only {checkedFields} fields checked ({missing} missing on Linux {Ebpf.Testing.KernelAssert.KernelRelease})");
    }

    [Fact]
    public void Offsets_MatchSystemUapiHeader_WhereItHasTheField()
    {
        if (!File.Exists("/usr/include/linux/bpf.h")) Assert.Skip("no /usr/include/linux/bpf.h");
        string dir = Directory.CreateTempSubdirectory("ebpf-net-layout-").FullName;
        try
        {
            // Older headers lack newer fields ("no member named"): only a wrong offset is a failure.
            string errors = Compile(dir, $"#include <stddef.h>\n#include <linux/bpf.h>\n{OffsetAsserts()}");
            string[] wrong = errors.Split('\n').Where(l => l.Contains("static assertion failed", StringComparison.Ordinal)).ToArray();
            Assert.True(wrong.Length == 0, string.Join('\n', wrong));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    // One _Static_assert(offsetof(...) == N) per field, for clang against a header.
    private static string OffsetAsserts()
    {
        var c = new StringBuilder();
        foreach (var (type, aggregate, prefix, _) in s_structs)
            foreach (var (field, member, offset) in Fields(type))
                c.AppendLine($"_Static_assert(__builtin_offsetof({aggregate}, {prefix}{member}) == {offset}, \"{type.Name}.{field} at {offset}\");");
        return c.ToString();
    }

    // Each public field of a C# record: its name, the C member it stands for, its offset (bitfields left out).
    private static IEnumerable<(string Field, string Member, int Offset)> Fields(Type type)
    {
        foreach (FieldInfo f in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            string member = s_renamed.TryGetValue($"{type.Name}.{f.Name}", out string? renamed) ? renamed : Snake(f.Name);
            if (member.Length > 0) yield return (f.Name, member, (int)Marshal.OffsetOf(type, f.Name));
        }
    }

    private static string Snake(string pascal)
    {
        var s = new StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) s.Append('_');
            s.Append(char.ToLowerInvariant(pascal[i]));
        }
        return s.ToString();
    }

    private static string Compile(string dir, string source)
    {
        string file = Path.Combine(dir, "layout.c");
        File.WriteAllText(file, source);
        var psi = new ProcessStartInfo("clang", ["-fsyntax-only", "-ferror-limit=0", "-I", dir, file]) { RedirectStandardError = true, RedirectStandardOutput = true };
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Skip($"clang is not installed ({e.Message}): it checks the layouts against the UAPI header; ./build.sh setup installs it");
            throw;
        }
        using var _ = p;
        string stderr = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? "" : stderr;
    }
}
