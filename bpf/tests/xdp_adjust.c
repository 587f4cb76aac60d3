// SPDX-License-Identifier: GPL-2.0 OR MIT
// Grows and shrinks an XDP packet at both ends, so the VM's xdp_adjust_head/tail can be held to the kernel's on the
// same packets: an encapsulation-like 4-byte push, then a tail trim or grow chosen by the packet's own bytes.
// (bpf_xdp_adjust_meta is left out: the kernel refuses it to programs loaded without a device.)
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_adjust(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    if (data + 16 > end)
        return XDP_PASS;
    __u8 choice = ((__u8 *)data)[15];
    // Push 4 bytes in front; a large push runs out of headroom and fails as in the kernel.
    int push = (choice & 0x80) ? -300 : -4;
    if (bpf_xdp_adjust_head(ctx, push))
        return XDP_DROP;
    data = (void *)(long)ctx->data;
    end = (void *)(long)ctx->data_end;
    if (data + 4 > end)
        return XDP_ABORTED;
    ((__u8 *)data)[0] = 0xee;
    ((__u8 *)data)[1] = choice;
    ((__u8 *)data)[2] = 0xee;
    ((__u8 *)data)[3] = 0xee;
    // Tail: trim up to 15 bytes, or grow by up to 63 (the new bytes read as zero).
    int delta = (choice & 1) ? -(int)(choice & 15) : (int)(choice & 63);
    if (bpf_xdp_adjust_tail(ctx, delta))
        return XDP_TX;
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
