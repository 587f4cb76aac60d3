// SPDX-License-Identifier: GPL-2.0 OR MIT
// Exercises linking: several programs in one section and across sections sharing static, global and weak
// subprograms (each program gets its own copy, appended in first-use order, depth first), bpf_loop callbacks
// (lddw of a function address), a program array filled through `values` with programs, a hash of maps filled
// with `values`, pinning by name (ebpfnet_test_pinned, which the tests unpin), and named .rodata.* / .data.* sections (custom global data maps).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 cfg_mult SEC(".rodata.config") = 3;
__u64 hits SEC(".data.stats") = 0;
const char greeting[] = "linked";

struct inner {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
    __uint(max_entries, 4);
    __type(key, __u32);
    __array(values, struct inner);
} outer_hash SEC(".maps") = {
    .values = { [1] = &inner_b, [3] = &inner_a },
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
    __type(key, __u32);
    __type(value, __u32);
} ebpfnet_test_pinned SEC(".maps");

static __noinline __u64 mix(__u64 a, __u64 b)
{
    return (a * cfg_mult) ^ b ^ greeting[a & 3];
}

__noinline __u64 shared_global(__u64 x)
{
    return mix(x, 7) + hits;
}

__weak __noinline int weak_helper(__u32 v)
{
    return v > 10 ? 1 : 0;
}

static __noinline __u64 only_b(__u64 x)
{
    return mix(x + 1, x) + weak_helper((__u32)x);
}

static int count_cb(__u32 index, void *ctx)
{
    __u64 *acc = ctx;
    *acc += mix(index, *acc);
    return 0;
}

static int other_cb(__u32 index, void *ctx)
{
    __u64 *acc = ctx;
    *acc ^= index;
    return *acc > 100;
}

SEC("xdp")
int prog_a(struct xdp_md *ctx)
{
    __u64 acc = ctx->ingress_ifindex;
    bpf_loop(4, count_cb, &acc, 0);
    acc += shared_global(acc);
    __u32 key = 0, *v = bpf_map_lookup_elem(&ebpfnet_test_pinned, &key);
    if (v)
        *v += 1;
    hits += acc & 1;
    return XDP_PASS;
}

SEC("xdp")
int prog_b(struct xdp_md *ctx)
{
    __u64 acc = only_b(ctx->rx_queue_index);
    bpf_loop(2, other_cb, &acc, 0);
    bpf_loop(2, count_cb, &acc, 0);
    void *m = bpf_map_lookup_elem(&outer_hash, &(__u32){1});
    if (m) {
        __u64 *slot = bpf_map_lookup_elem(m, &(__u32){0});
        if (slot)
            *slot += acc;
    }
    return weak_helper(acc) ? XDP_PASS : XDP_DROP;
}

int tail_one(struct __sk_buff *skb);

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __array(values, int (void *));
} jump_table SEC(".maps") = {
    .values = { [2] = (void *)&tail_one },
};

SEC("socket")
int tail_one(struct __sk_buff *skb)
{
    return shared_global(skb->len) & 1;
}

SEC("socket")
int tail_entry(struct __sk_buff *skb)
{
    bpf_tail_call(skb, &jump_table, 2);
    return only_b(skb->len) & 0xff;
}

SEC("tc")
int tc_prog(struct __sk_buff *skb)
{
    __u64 acc = skb->mark;
    bpf_loop(3, other_cb, &acc, 0);
    return (int)(acc & 1);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
