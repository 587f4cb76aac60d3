using System.Runtime.InteropServices;
using Ebpf.Linux.Interop;

namespace Ebpf.Linux.Tests.Links.Tracing;

/// <summary>The tracing link_create members sit where the running kernel's <c>union bpf_attr</c> has them (from its BTF).</summary>
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

    /// <summary>Every member this kernel has is where the C# record puts it; members of newer kernels may be missing.</summary>
    [Fact]
    public void LinkCreateTracingMembers_MatchRunningKernelBtf()
    {
        Interop.KernelBtfLayout.RequireKernelBtf();
        var wrong = new List<string>();
        int present = 0;
        foreach (var (field, member) in s_fields)
        {
            int? kernel = Interop.KernelBtfLayout.OffsetOf("union bpf_attr", member);
            if (kernel is null) continue;   // e.g. uprobe_multi before 6.6
            present++;
            int offset = (int)Marshal.OffsetOf<TracingLinkCreateAttr>(field);
            if (kernel != offset) wrong.Add($"{field}: at {offset}, union bpf_attr.{member} at {kernel}");
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
        // 5.10's link_create: prog_fd, target_fd, attach_type, flags, target_btf_id, iter_info, iter_info_len.
        Assert.True(present >= 7, $"only {present} members found: every kernel with BPF links has link_create's prog_fd..iter_info_len");
        Assert.Equal(Interop.KernelBtfLayout.SizeOfMember("union bpf_attr", "iter_create"), Marshal.SizeOf<IterCreateAttr>());
    }
}
