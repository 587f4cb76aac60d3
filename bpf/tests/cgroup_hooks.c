// SPDX-License-Identifier: GPL-2.0 OR MIT
// cgroup programs for the attach tests. counts[0]/[1]: IPv4 UDP packets to port 9999 leaving the cgroup, seen by
// the first/second egress program (the second exists to test Update); counts[2]: connects refused by deny_connect4.
#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/types.h>
#define SOCK_DGRAM 2   /* linux/net.h: sys/socket.h is not for the BPF target */
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define COUNTED_PORT 9999
#define DENIED_PORT 9998

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

static __always_inline void bump(__u32 key)
{
    __u64 *n = bpf_map_lookup_elem(&counts, &key);
    if (n)
        __sync_fetch_and_add(n, 1);
}

static __always_inline int count_udp(struct __sk_buff *skb, __u32 key)
{
    struct iphdr ip;
    struct udphdr udp;
    // cgroup_skb programs see the packet from its IP header on.
    if (skb->protocol != bpf_htons(0x0800) || bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)))
        return 1;
    if (ip.protocol != IPPROTO_UDP || bpf_skb_load_bytes(skb, ip.ihl * 4, &udp, sizeof(udp)))
        return 1;
    if (udp.dest == bpf_htons(COUNTED_PORT))
        bump(key);
    return 1;
}

SEC("cgroup_skb/egress")
int count_egress(struct __sk_buff *skb) { return count_udp(skb, 0); }

SEC("cgroup_skb/egress")
int count_egress2(struct __sk_buff *skb) { return count_udp(skb, 1); }

SEC("cgroup/connect4")
int deny_connect4(struct bpf_sock_addr *ctx)
{
    if (ctx->user_port == bpf_htons(DENIED_PORT)) {
        bump(2);
        return 0;
    }
    return 1;
}

// The denying programs below are checked by what a child process in the cgroup can no longer do.
SEC("cgroup/sock_create")
int deny_udp_socket(struct bpf_sock *sk)
{
    return !(sk->type == SOCK_DGRAM && sk->protocol == IPPROTO_UDP);
}

SEC("cgroup/sysctl")
int deny_sysctl_read(struct bpf_sysctl *ctx)
{
    return ctx->write ? 1 : 0;
}

SEC("cgroup/dev")
int deny_dev_null(struct bpf_cgroup_dev_ctx *ctx)
{
    return !(ctx->major == 1 && ctx->minor == 3);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
