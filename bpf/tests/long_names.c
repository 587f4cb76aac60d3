// SPDX-License-Identifier: GPL-2.0 OR MIT
// Programs whose names exceed the kernel's 15 characters (BPF_OBJ_NAME_LEN - 1): the kernel keeps
// "xdp_pass_with_a", tools recover "xdp_pass_with_a_long" from the program's BTF func info, as bpftool does.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int verdict_of_the_long_named(int len)
{
    return len >= 0 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int xdp_pass_with_a_long(struct xdp_md *ctx)                 /* 20 characters */
{
    return verdict_of_the_long_named((int)(ctx->data_end - ctx->data));
}

SEC("tc")
int tc_pass_with_a_long_name(struct __sk_buff *skb)          /* 24 characters */
{
    return TC_ACT_OK;
}

SEC("cgroup_skb/egress")
int cgroup_skb_with_long_name(struct __sk_buff *skb)         /* 25 characters */
{
    return 1;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
