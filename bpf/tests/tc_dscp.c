// SPDX-License-Identifier: GPL-2.0 OR MIT
// TC classifier for the attach tests: sets the DSCP of every IPv4 packet to EF (46), keeping the ECN bits, and
// fixes the IPv4 header checksum with bpf_l3_csum_replace. Counts the packets it changed.
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define DSCP_EF 46

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} marked SEC(".maps");

SEC("tc")
int mark_dscp(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *end = (void *)(long)skb->data_end;
    struct ethhdr *eth = data;
    struct iphdr *ip = data + ETH_HLEN;
    if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
        return TC_ACT_OK;
    __u8 tos = (DSCP_EF << 2) | (ip->tos & 3);
    if (ip->tos == tos)
        return TC_ACT_OK;
    // The checksum covers 16-bit words: replace the word holding version/ihl and tos, both as they sit in memory.
    __u16 old_word = *(__u16 *)ip;
    __u16 new_word = old_word;
    ((__u8 *)&new_word)[1] = tos;
    if (bpf_l3_csum_replace(skb, ETH_HLEN + offsetof(struct iphdr, check), old_word, new_word, 2))
        return TC_ACT_SHOT;
    if (bpf_skb_store_bytes(skb, ETH_HLEN + offsetof(struct iphdr, tos), &tos, 1, 0))
        return TC_ACT_SHOT;
    __u32 key = 0;
    __u64 *n = bpf_map_lookup_elem(&marked, &key);
    if (n)
        __sync_fetch_and_add(n, 1);
    return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
