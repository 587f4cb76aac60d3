namespace Ebpf.Linux.Links;

/// <summary>
/// Which attach types are cgroup hooks. Its own type because the cgroup attachments check their argument with
/// it and <see cref="ProgramQuery"/> picks the query form by it: neither needs the other.
/// </summary>
internal static class CgroupHooks
{
    /// <summary>True for the attach types of cgroup hooks.</summary>
    internal static bool Contains(AttachType t) => t is AttachType.CgroupInetIngress or AttachType.CgroupInetEgress
        or AttachType.CgroupInetSockCreate or AttachType.CgroupSockOps or AttachType.CgroupDevice
        or (>= AttachType.CgroupInet4Bind and <= AttachType.CgroupUdp6Sendmsg)
        or AttachType.CgroupSysctl or AttachType.CgroupUdp4Recvmsg or AttachType.CgroupUdp6Recvmsg
        or AttachType.CgroupGetsockopt or AttachType.CgroupSetsockopt
        or (>= AttachType.CgroupInet4Getpeername and <= AttachType.CgroupInet6Getsockname)
        or AttachType.CgroupInetSockRelease or AttachType.LsmCgroup
        or (>= AttachType.CgroupUnixConnect and <= AttachType.CgroupUnixGetsockname);
}
