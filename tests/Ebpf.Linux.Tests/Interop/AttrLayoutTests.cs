using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Tests.Interop;

/// <summary>
/// Every field of every attribute and info struct sits where the kernel expects it: clang checks
/// <c>offsetof</c> against the running kernel's BTF (bpftool btf dump → vmlinux.h) and against the system's UAPI header.
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
        (typeof(ProgInfoRecord), "struct bpf_prog_info", "", 232),
        (typeof(MapInfoRecord), "struct bpf_map_info", "", 104),
        (typeof(BtfInfoRecord), "struct bpf_btf_info", "", 32),
        (typeof(LinkInfoRecord), "struct bpf_link_info", "", 64),
    ];

    // C# names whose C spelling is not the snake_case of the C# name.
    private static readonly Dictionary<string, string> s_renamed = new()
    {
        ["LinkInfoRecord.Union"] = "raw_tracepoint",
        ["ProgQueryAttr.Count"] = "prog_cnt",
        ["LinkCreateNetfilterAttr.ProtocolFamily"] = "netfilter.pf",
        ["LinkCreateNetfilterAttr.HookNumber"] = "netfilter.hooknum",
        ["LinkCreateNetfilterAttr.Priority"] = "netfilter.priority",
        ["LinkCreateNetfilterAttr.NetfilterFlags"] = "netfilter.flags",
        ["ProgInfoRecord.GplCompatible"] = "",            // a bitfield: offsetof does not apply
    };

    [Fact]
    public void Offsets_MatchRunningKernelBtf()
    {
        string dir = Directory.CreateTempSubdirectory("ebpf-net-layout-").FullName;
        try
        {
            string header = Path.Combine(dir, "vmlinux.h");
            File.WriteAllText(header, Ebpf.Testing.BpfTool.Run("btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"));
            var (asserts, count) = Asserts(sizes: true);
            string errors = Compile(dir, $"#define BPF_NO_PRESERVE_ACCESS_INDEX\n#include \"vmlinux.h\"\n{asserts}");
            // An older kernel (the 5.10/6.1 guests) lacks newer fields ("no member named"): only other errors count.
            string[] wrong = errors.Split('\n').Where(l => l.Contains("error:", StringComparison.Ordinal) && !l.Contains("no member named", StringComparison.Ordinal)).ToArray();
            Assert.True(wrong.Length == 0, errors);
            Assert.True(count > 150, $"only {count} fields checked");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Offsets_MatchSystemUapiHeader_WhereItHasTheField()
    {
        if (!File.Exists("/usr/include/linux/bpf.h")) Assert.Skip("no /usr/include/linux/bpf.h");
        string dir = Directory.CreateTempSubdirectory("ebpf-net-layout-").FullName;
        try
        {
            // Older headers lack newer fields ("no member named"): only a wrong offset is a failure.
            string errors = Compile(dir, $"#include <stddef.h>\n#include <linux/bpf.h>\n{Asserts(sizes: false).Text}");
            string[] wrong = errors.Split('\n').Where(l => l.Contains("static assertion failed", StringComparison.Ordinal)).ToArray();
            Assert.True(wrong.Length == 0, string.Join('\n', wrong));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static (string Text, int Count) Asserts(bool sizes)
    {
        var c = new StringBuilder();
        int count = 0;
        foreach (var (type, aggregate, prefix, csize) in s_structs)
        {
            foreach (FieldInfo f in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                string member = s_renamed.TryGetValue($"{type.Name}.{f.Name}", out string? renamed) ? renamed : Snake(f.Name);
                if (member.Length == 0) continue;
                int offset = (int)Marshal.OffsetOf(type, f.Name);
                c.AppendLine($"_Static_assert(__builtin_offsetof({aggregate}, {prefix}{member}) == {offset}, \"{type.Name}.{f.Name} at {offset}\");");
                count++;
            }
            int size = Marshal.SizeOf(type);
            if (sizes && csize is int expected)
                c.AppendLine($"_Static_assert(sizeof({aggregate}) == {expected} && {expected} == {size}, \"{type.Name} size {size}\");");
            else if (sizes)
                c.AppendLine($"_Static_assert(sizeof({aggregate}) >= {size}, \"{type.Name} size {size} exceeds {aggregate}\");");
        }
        return (c.ToString(), count);
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
            Assert.Skip($"clang is not installed ({e.Message}): it checks the layouts against the kernel's BTF; ./build.sh setup installs it");
            throw;
        }
        using var _ = p;
        string stderr = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? "" : stderr;
    }
}
