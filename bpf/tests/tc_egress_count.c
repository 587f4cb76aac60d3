// SPDX-License-Identifier: GPL-2.0 OR MIT
// Counts the packets leaving an interface and lets them go: the TC egress step of the seed workflow
// (`tc filter add dev X egress bpf da obj tc_egress_count.o sec tc`, or `bpftool net attach tcx_egress`).
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} egress_packets SEC(".maps");

SEC("tc")
int tc_egress_count(struct __sk_buff *skb)
{
    __u32 key = 0;
    __u64 *count = bpf_map_lookup_elem(&egress_packets, &key);
    if (count)
        __sync_fetch_and_add(count, 1);
    return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
