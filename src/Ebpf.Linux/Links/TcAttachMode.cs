namespace Ebpf.Linux.Links;

/// <summary>How <see cref="Tc.Attach"/> attaches a TC program.</summary>
public enum TcAttachMode
{
    /// <summary>A tcx link when the kernel has them (probed, Linux 6.6+), a clsact filter otherwise.</summary>
    Auto,
    /// <summary>A tcx link (<see cref="TcxLink"/>); fails with <see cref="KernelFeatureMissingException"/> before 6.6.</summary>
    Tcx,
    /// <summary>A clsact qdisc and a cls_bpf filter in direct-action mode over netlink (<see cref="ClsactAttachment"/>).</summary>
    Clsact,
}
