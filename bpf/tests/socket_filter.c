// SPDX-License-Identifier: GPL-2.0 OR MIT
// Socket filter for the attach tests: counts what a UDP socket receives (seen[0]) and drops datagrams with more
// than 100 bytes of payload (seen[1]). A socket filter sees the packet from the transport header on.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} seen SEC(".maps");

SEC("socket")
int filter_small(struct __sk_buff *skb)
{
    __u32 key = 0;
    __u64 *n = bpf_map_lookup_elem(&seen, &key);
    if (n)
        __sync_fetch_and_add(n, 1);
    if (skb->len > 8 + 100) {
        key = 1;
        n = bpf_map_lookup_elem(&seen, &key);
        if (n)
            __sync_fetch_and_add(n, 1);
        return 0;
    }
    return skb->len;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
