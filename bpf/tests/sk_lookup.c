// SPDX-License-Identifier: GPL-2.0 OR MIT
// sk_lookup program for the attach tests: TCP connections to local port 7001 go to the socket in target[0].
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_SOCKMAP);
    __uint(max_entries, 1);
    __uint(key_size, sizeof(__u32));     // sizes, not BTF types: the kernel refuses BTF on sockmaps (ENOTSUPP)
    __uint(value_size, sizeof(__u64));
} target SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} steered SEC(".maps");

SEC("sk_lookup")
int steer_7001(struct bpf_sk_lookup *ctx)
{
    if (ctx->protocol != IPPROTO_TCP || ctx->local_port != 7001)
        return SK_PASS;
    __u32 key = 0;
    struct bpf_sock *sk = bpf_map_lookup_elem(&target, &key);
    if (!sk)
        return SK_PASS;
    long err = bpf_sk_assign(ctx, sk, 0);
    bpf_sk_release(sk);
    if (err)
        return SK_DROP;
    __u64 *n = bpf_map_lookup_elem(&steered, &key);
    if (n)
        __sync_fetch_and_add(n, 1);
    return SK_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
