// SPDX-License-Identifier: GPL-2.0 OR MIT
// A TC classifier that lets every packet through and counts it: the program the CLI's tc/tcx tests attach.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} tc_seen SEC(".maps");

SEC("tc")
int tc_pass(struct __sk_buff *skb)
{
    __u32 slot = 0;
    __u64 *value = bpf_map_lookup_elem(&tc_seen, &slot);
    if (value)
        __sync_fetch_and_add(value, 1);
    return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
