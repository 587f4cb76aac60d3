using System.Runtime.InteropServices;
using System.Text;
using Ebpf.Linux.Interop;
using Ebpf.Testing;

namespace Ebpf.Linux.Tests.Links.Tracing;

/// <summary>The tracing link_create members sit where the running kernel's <c>union bpf_attr</c> has them (clang checks offsetof).</summary>
public sealed class TracingAttrLayoutTests
{
    // C# field → member path in union bpf_attr.
    private static readonly (string Field, string Member)[] s_fields =
    [
        (nameof(TracingLinkCreateAttr.ProgFd), "link_create.prog_fd"),
        (nameof(TracingLinkCreateAttr.TargetFd), "link_create.target_fd"),
        (nameof(TracingLinkCreateAttr.AttachType), "link_create.attach_type"),
        (nameof(TracingLinkCreateAttr.Flags), "link_create.flags"),
        (nameof(TracingLinkCreateAttr.TargetBtfId), "link_create.target_btf_id"),
        (nameof(TracingLinkCreateAttr.TracingCookie), "link_create.tracing.cookie"),
        (nameof(TracingLinkCreateAttr.IterInfo), "link_create.iter_info"),
        (nameof(TracingLinkCreateAttr.IterInfoLen), "link_create.iter_info_len"),
        (nameof(TracingLinkCreateAttr.KprobeMultiFlags), "link_create.kprobe_multi.flags"),
        (nameof(TracingLinkCreateAttr.KprobeMultiCount), "link_create.kprobe_multi.cnt"),
        (nameof(TracingLinkCreateAttr.KprobeMultiSymbols), "link_create.kprobe_multi.syms"),
        (nameof(TracingLinkCreateAttr.KprobeMultiAddresses), "link_create.kprobe_multi.addrs"),
        (nameof(TracingLinkCreateAttr.KprobeMultiCookies), "link_create.kprobe_multi.cookies"),
        (nameof(TracingLinkCreateAttr.UprobeMultiPath), "link_create.uprobe_multi.path"),
        (nameof(TracingLinkCreateAttr.UprobeMultiOffsets), "link_create.uprobe_multi.offsets"),
        (nameof(TracingLinkCreateAttr.UprobeMultiRefCtrOffsets), "link_create.uprobe_multi.ref_ctr_offsets"),
        (nameof(TracingLinkCreateAttr.UprobeMultiCookies), "link_create.uprobe_multi.cookies"),
        (nameof(TracingLinkCreateAttr.UprobeMultiCount), "link_create.uprobe_multi.cnt"),
        (nameof(TracingLinkCreateAttr.UprobeMultiFlags), "link_create.uprobe_multi.flags"),
        (nameof(TracingLinkCreateAttr.UprobeMultiPid), "link_create.uprobe_multi.pid"),
    ];

    [Fact]
    public void LinkCreateTracingMembers_MatchRunningKernelBtf()
    {
        KernelAssert.RequireRoot();
        string dir = Directory.CreateTempSubdirectory("ebpf-net-trace-layout-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "vmlinux.h"), BpfTool.Run("btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"));
            var source = new StringBuilder("#define BPF_NO_PRESERVE_ACCESS_INDEX\n#include \"vmlinux.h\"\n");
            foreach (var (field, member) in s_fields)
                source.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"_Static_assert(__builtin_offsetof(union bpf_attr, {member}) == {Marshal.OffsetOf<TracingLinkCreateAttr>(field)}, \"{field}\");\n");
            source.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"_Static_assert(sizeof(((union bpf_attr *)0)->iter_create) == {Marshal.SizeOf<IterCreateAttr>()}, \"IterCreateAttr\");\n");
            string file = Path.Combine(dir, "layout.c");
            File.WriteAllText(file, source.ToString());
            var (code, _, stderr) = ExternalTool.TryRun("clang", "-fsyntax-only", "-ferror-limit=0", "-I", dir, file);
            Assert.True(code == 0, stderr);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
