// SPDX-License-Identifier: GPL-2.0 OR MIT
// Netfilter programs for the attach tests (Linux 6.4+): nf_count accepts and counts (hits[0]), nf_drop drops and
// counts (hits[1]). The context (struct bpf_nf_ctx) is not read, so the object compiles without vmlinux.h.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} hits SEC(".maps");

static __always_inline int bump(__u32 key, int verdict)
{
    __u64 *n = bpf_map_lookup_elem(&hits, &key);
    if (n)
        __sync_fetch_and_add(n, 1);
    return verdict;
}

SEC("netfilter")
int nf_count(void *ctx) { return bump(0, 1); }   /* NF_ACCEPT */

SEC("netfilter")
int nf_drop(void *ctx) { return bump(1, 0); }    /* NF_DROP */

char LICENSE[] SEC("license") = "Dual MIT/GPL";
