// SPDX-License-Identifier: GPL-2.0 OR MIT
// A cgroup_skb program that allows every packet: what the CLI's cgroup attach/show tests attach.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("cgroup_skb/egress")
int cgroup_skb_pass(struct __sk_buff *skb)
{
    return 1;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
