// SPDX-License-Identifier: GPL-2.0 OR MIT
// A minimal flow dissector for the attach tests: IPv4 with UDP or TCP ports, everything else BPF_DROP (the
// kernel's own dissector is not consulted while a BPF one is attached).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

SEC("flow_dissector")
int dissect_ipv4(struct __sk_buff *skb)
{
    struct bpf_flow_keys *keys = skb->flow_keys;
    // Direct packet access: BPF_PROG_TEST_RUN has no skb, so bpf_skb_load_bytes fails there.
    void *data = (void *)(long)skb->data;
    void *end = (void *)(long)skb->data_end;
    __u16 nhoff = keys->nhoff;
    if (keys->n_proto != bpf_htons(ETH_P_IP) || nhoff > 256)
        return BPF_DROP;
    struct iphdr *ip = data + nhoff;
    if ((void *)(ip + 1) > end)
        return BPF_DROP;
    keys->addr_proto = ETH_P_IP;
    keys->ipv4_src = ip->saddr;
    keys->ipv4_dst = ip->daddr;
    keys->ip_proto = ip->protocol;
    __u16 thoff = nhoff + ip->ihl * 4;
    keys->thoff = thoff;
    if (ip->protocol != IPPROTO_UDP && ip->protocol != IPPROTO_TCP)
        return BPF_OK;
    if (thoff > 320)
        return BPF_DROP;
    __be16 *ports = data + thoff;
    if ((void *)(ports + 2) > end)
        return BPF_DROP;
    keys->sport = ports[0];
    keys->dport = ports[1];
    return BPF_OK;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
