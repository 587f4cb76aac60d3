// SPDX-License-Identifier: GPL-2.0 OR MIT
// sk_lookup program for the attach tests that needs no sockmap (some kernels compile sockmaps out): TCP
// connections to local port 7002 are refused (SK_DROP), and counted.
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} refused SEC(".maps");

SEC("sk_lookup")
int refuse_7002(struct bpf_sk_lookup *ctx)
{
    if (ctx->protocol != IPPROTO_TCP || ctx->local_port != 7002)
        return SK_PASS;
    __u32 key = 0;
    __u64 *n = bpf_map_lookup_elem(&refused, &key);
    if (n)
        __sync_fetch_and_add(n, 1);
    return SK_DROP;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
