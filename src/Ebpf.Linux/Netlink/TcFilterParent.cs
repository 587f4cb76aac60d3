namespace Ebpf.Linux.Netlink;

/// <summary>Where a tc filter hangs: the qdisc handle it is attached under (tcm_parent; the values are the UAPI's).</summary>
public enum TcFilterParent : uint
{
    /// <summary>The interface's root qdisc (TC_H_ROOT, <c>tc filter add dev X root ...</c>).</summary>
    Root = 0xFFFFFFFF,
    /// <summary>The ingress hook of the clsact qdisc (TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), <c>tc filter add dev X ingress ...</c>).</summary>
    ClsactIngress = 0xFFFFFFF2,
    /// <summary>The egress hook of the clsact qdisc (TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS), <c>tc filter add dev X egress ...</c>).</summary>
    ClsactEgress = 0xFFFFFFF3,
}
