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
    struct iphdr ip;
    __be16 ports[2];
    if (keys->n_proto != bpf_htons(ETH_P_IP) || bpf_skb_load_bytes(skb, keys->nhoff, &ip, sizeof(ip)))
        return BPF_DROP;
    keys->addr_proto = ETH_P_IP;
    keys->ipv4_src = ip.saddr;
    keys->ipv4_dst = ip.daddr;
    keys->ip_proto = ip.protocol;
    keys->thoff = keys->nhoff + ip.ihl * 4;
    if (ip.protocol != IPPROTO_UDP && ip.protocol != IPPROTO_TCP)
        return BPF_OK;
    if (bpf_skb_load_bytes(skb, keys->thoff, ports, sizeof(ports)))
        return BPF_DROP;
    keys->sport = ports[0];
    keys->dport = ports[1];
    return BPF_OK;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
