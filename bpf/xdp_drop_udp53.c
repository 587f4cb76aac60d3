// SPDX-License-Identifier: GPL-2.0 OR MIT
// Drop IPv4/UDP datagrams to port 53 (DNS); pass everything else.
// The "drop DNS" scenario: attach like `ip link set dev X xdp obj xdp_drop_udp53.o sec xdp`.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} drop_stats SEC(".maps");   // [0] passed, [1] dropped

static __always_inline void count(__u32 slot)
{
    __u64 *value = bpf_map_lookup_elem(&drop_stats, &slot);
    if (value)
        *value += 1;
}

SEC("xdp")
int xdp_drop_udp53(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;

    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
        goto pass;

    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_UDP)
        goto pass;

    struct udphdr *udp = (void *)ip + ip->ihl * 4;
    if ((void *)(udp + 1) > data_end)
        goto pass;

    if (udp->dest == bpf_htons(53)) {
        count(1);
        return XDP_DROP;
    }
pass:
    count(0);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
