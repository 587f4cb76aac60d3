using static Ebpf.Sections.SectionFlags;
using A = Ebpf.AttachType;
using P = Ebpf.ProgramType;

namespace Ebpf.Sections;

/// <summary>
/// libbpf's <c>SEC()</c> naming convention: which program type and expected attach type a program in a section
/// gets. One row per name, in libbpf's order: the first matching row wins, so more specific names come first
/// (<c>sk_reuseport/migrate</c> before <c>sk_reuseport</c>, <c>xdp.frags/devmap</c> before <c>xdp.frags</c>).
/// </summary>
/// <remarks>
/// Matches libbpf 1.6's <c>section_defs</c> for every attach type Linux 6.18 defines (the fsession and
/// fentry.multi rows of later kernels are left out). A leading <c>?</c> (libbpf's "do not autoload" marker) is
/// stripped before matching by <see cref="Find(string)"/>.
/// </remarks>
public static class SectionDefinitions
{
    /// <summary>All rows, in matching order.</summary>
    public static IReadOnlyList<SectionDefinition> All { get; } =
    [
        new("socket", P.SocketFilter, null, None),
        new("sk_reuseport/migrate", P.SkReuseport, A.SkReuseportSelectOrMigrate, Attachable),
        new("sk_reuseport", P.SkReuseport, A.SkReuseportSelect, Attachable),
        new("kprobe+", P.Kprobe, null, None),
        new("uprobe+", P.Kprobe, null, None),
        new("uprobe.s+", P.Kprobe, null, Sleepable),
        new("kretprobe+", P.Kprobe, null, None),
        new("uretprobe+", P.Kprobe, null, None),
        new("uretprobe.s+", P.Kprobe, null, Sleepable),
        new("kprobe.multi+", P.Kprobe, A.TraceKprobeMulti, None),
        new("kretprobe.multi+", P.Kprobe, A.TraceKprobeMulti, None),
        new("kprobe.session+", P.Kprobe, A.TraceKprobeSession, None),
        new("uprobe.multi+", P.Kprobe, A.TraceUprobeMulti, None),
        new("uretprobe.multi+", P.Kprobe, A.TraceUprobeMulti, None),
        new("uprobe.session+", P.Kprobe, A.TraceUprobeSession, None),
        new("uprobe.multi.s+", P.Kprobe, A.TraceUprobeMulti, Sleepable),
        new("uretprobe.multi.s+", P.Kprobe, A.TraceUprobeMulti, Sleepable),
        new("uprobe.session.s+", P.Kprobe, A.TraceUprobeSession, Sleepable),
        new("ksyscall+", P.Kprobe, null, None),
        new("kretsyscall+", P.Kprobe, null, None),
        new("usdt+", P.Kprobe, null, Usdt),
        new("usdt.s+", P.Kprobe, null, Usdt | Sleepable),
        new("tc/ingress", P.SchedClassifier, A.TcxIngress, None),
        new("tc/egress", P.SchedClassifier, A.TcxEgress, None),
        new("tcx/ingress", P.SchedClassifier, A.TcxIngress, None),
        new("tcx/egress", P.SchedClassifier, A.TcxEgress, None),
        new("tc", P.SchedClassifier, null, None),
        new("classifier", P.SchedClassifier, null, None),
        new("action", P.SchedAction, null, None),
        new("netkit/primary", P.SchedClassifier, A.NetkitPrimary, None),
        new("netkit/peer", P.SchedClassifier, A.NetkitPeer, None),
        new("tracepoint+", P.Tracepoint, null, None),
        new("tp+", P.Tracepoint, null, None),
        new("tracepoint.s+", P.Tracepoint, null, Sleepable),
        new("tp.s+", P.Tracepoint, null, Sleepable),
        new("raw_tracepoint+", P.RawTracepoint, null, None),
        new("raw_tp+", P.RawTracepoint, null, None),
        new("raw_tracepoint.s+", P.RawTracepoint, null, Sleepable),
        new("raw_tp.s+", P.RawTracepoint, null, Sleepable),
        new("raw_tracepoint.w+", P.RawTracepointWritable, null, None),
        new("raw_tp.w+", P.RawTracepointWritable, null, None),
        new("tp_btf+", P.Tracing, A.TraceRawTp, AttachBtf),
        new("tp_btf.s+", P.Tracing, A.TraceRawTp, AttachBtf | Sleepable),
        new("fentry+", P.Tracing, A.TraceFentry, AttachBtf),
        new("fmod_ret+", P.Tracing, A.ModifyReturn, AttachBtf),
        new("fexit+", P.Tracing, A.TraceFexit, AttachBtf),
        new("fentry.s+", P.Tracing, A.TraceFentry, AttachBtf | Sleepable),
        new("fmod_ret.s+", P.Tracing, A.ModifyReturn, AttachBtf | Sleepable),
        new("fexit.s+", P.Tracing, A.TraceFexit, AttachBtf | Sleepable),
        new("freplace+", P.Ext, null, AttachBtf),
        new("lsm+", P.Lsm, A.LsmMac, AttachBtf),
        new("lsm.s+", P.Lsm, A.LsmMac, AttachBtf | Sleepable),
        new("lsm_cgroup+", P.Lsm, A.LsmCgroup, AttachBtf),
        new("iter+", P.Tracing, A.TraceIter, AttachBtf),
        new("iter.s+", P.Tracing, A.TraceIter, AttachBtf | Sleepable),
        new("syscall", P.Syscall, null, Sleepable),
        new("xdp.frags/devmap", P.Xdp, A.XdpDevMap, XdpFrags),
        new("xdp/devmap", P.Xdp, A.XdpDevMap, Attachable),
        new("xdp.frags/cpumap", P.Xdp, A.XdpCpuMap, XdpFrags),
        new("xdp/cpumap", P.Xdp, A.XdpCpuMap, Attachable),
        new("xdp.frags", P.Xdp, A.Xdp, XdpFrags),
        new("xdp", P.Xdp, A.Xdp, Attachable | ExpectedAttachTypeOptional),
        new("perf_event", P.PerfEvent, null, None),
        new("lwt_in", P.LwtIn, null, None),
        new("lwt_out", P.LwtOut, null, None),
        new("lwt_xmit", P.LwtXmit, null, None),
        new("lwt_seg6local", P.LwtSeg6Local, null, None),
        new("sockops", P.SockOps, A.CgroupSockOps, Attachable | ExpectedAttachTypeOptional),
        new("sk_skb/stream_parser", P.SkSkb, A.SkSkbStreamParser, Attachable | ExpectedAttachTypeOptional),
        new("sk_skb/stream_verdict", P.SkSkb, A.SkSkbStreamVerdict, Attachable | ExpectedAttachTypeOptional),
        new("sk_skb/verdict", P.SkSkb, A.SkSkbVerdict, Attachable | ExpectedAttachTypeOptional),
        new("sk_skb", P.SkSkb, null, None),
        new("sk_msg", P.SkMsg, A.SkMsgVerdict, Attachable | ExpectedAttachTypeOptional),
        new("lirc_mode2", P.LircMode2, A.LircMode2, Attachable | ExpectedAttachTypeOptional),
        new("flow_dissector", P.FlowDissector, A.FlowDissector, Attachable | ExpectedAttachTypeOptional),
        new("cgroup_skb/ingress", P.CgroupSkb, A.CgroupInetIngress, Attachable | ExpectedAttachTypeOptional),
        new("cgroup_skb/egress", P.CgroupSkb, A.CgroupInetEgress, Attachable | ExpectedAttachTypeOptional),
        new("cgroup/skb", P.CgroupSkb, null, None),
        new("cgroup/sock_create", P.CgroupSock, A.CgroupInetSockCreate, Attachable),
        new("cgroup/sock_release", P.CgroupSock, A.CgroupInetSockRelease, Attachable),
        new("cgroup/sock", P.CgroupSock, A.CgroupInetSockCreate, Attachable | ExpectedAttachTypeOptional),
        new("cgroup/post_bind4", P.CgroupSock, A.CgroupInet4PostBind, Attachable),
        new("cgroup/post_bind6", P.CgroupSock, A.CgroupInet6PostBind, Attachable),
        new("cgroup/bind4", P.CgroupSockAddr, A.CgroupInet4Bind, Attachable),
        new("cgroup/bind6", P.CgroupSockAddr, A.CgroupInet6Bind, Attachable),
        new("cgroup/connect4", P.CgroupSockAddr, A.CgroupInet4Connect, Attachable),
        new("cgroup/connect6", P.CgroupSockAddr, A.CgroupInet6Connect, Attachable),
        new("cgroup/connect_unix", P.CgroupSockAddr, A.CgroupUnixConnect, Attachable),
        new("cgroup/sendmsg4", P.CgroupSockAddr, A.CgroupUdp4Sendmsg, Attachable),
        new("cgroup/sendmsg6", P.CgroupSockAddr, A.CgroupUdp6Sendmsg, Attachable),
        new("cgroup/sendmsg_unix", P.CgroupSockAddr, A.CgroupUnixSendmsg, Attachable),
        new("cgroup/recvmsg4", P.CgroupSockAddr, A.CgroupUdp4Recvmsg, Attachable),
        new("cgroup/recvmsg6", P.CgroupSockAddr, A.CgroupUdp6Recvmsg, Attachable),
        new("cgroup/recvmsg_unix", P.CgroupSockAddr, A.CgroupUnixRecvmsg, Attachable),
        new("cgroup/getpeername4", P.CgroupSockAddr, A.CgroupInet4Getpeername, Attachable),
        new("cgroup/getpeername6", P.CgroupSockAddr, A.CgroupInet6Getpeername, Attachable),
        new("cgroup/getpeername_unix", P.CgroupSockAddr, A.CgroupUnixGetpeername, Attachable),
        new("cgroup/getsockname4", P.CgroupSockAddr, A.CgroupInet4Getsockname, Attachable),
        new("cgroup/getsockname6", P.CgroupSockAddr, A.CgroupInet6Getsockname, Attachable),
        new("cgroup/getsockname_unix", P.CgroupSockAddr, A.CgroupUnixGetsockname, Attachable),
        new("cgroup/sysctl", P.CgroupSysctl, A.CgroupSysctl, Attachable),
        new("cgroup/getsockopt", P.CgroupSockopt, A.CgroupGetsockopt, Attachable),
        new("cgroup/setsockopt", P.CgroupSockopt, A.CgroupSetsockopt, Attachable),
        new("cgroup/dev", P.CgroupDevice, A.CgroupDevice, Attachable | ExpectedAttachTypeOptional),
        new("struct_ops+", P.StructOps, null, None),
        new("struct_ops.s+", P.StructOps, null, Sleepable),
        new("sk_lookup", P.SkLookup, A.SkLookup, Attachable),
        new("netfilter", P.Netfilter, A.Netfilter, None),
    ];

    /// <summary>The first row matching <paramref name="sectionName"/> (after stripping a leading <c>?</c>), or null.</summary>
    public static SectionDefinition? Find(string sectionName)
    {
        ArgumentNullException.ThrowIfNull(sectionName);
        string name = sectionName.StartsWith('?') ? sectionName[1..] : sectionName;
        foreach (SectionDefinition row in All)
            if (row.Matches(name)) return row;
        return null;
    }
}
