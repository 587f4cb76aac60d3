// SPDX-License-Identifier: GPL-2.0 OR MIT
// Map helpers from a program, for the userspace VM's differential test against the kernel: a raw tracepoint
// program (run with BPF_PROG_TEST_RUN and a context of two u64 arguments) that counts into a hash map, sums into
// an array with an atomic add, remembers keys in a queue, reports each call through a ring buffer, and keeps
// global data (.rodata factor, .bss call count).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __uint(map_flags, BPF_F_ZERO_SEED);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} totals SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_QUEUE);
    __uint(max_entries, 8);
    __uint(value_size, sizeof(__u32));
} recent SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

struct event {
    __u32 key;
    __u32 full;
    __u64 add;
};

const volatile __u32 factor = 3;
__u64 calls;

SEC("raw_tp/vm_counters")
int count_keys(struct bpf_raw_tracepoint_args *ctx)
{
    __u32 key = ctx->args[0];
    __u64 add = ctx->args[1] * factor;
    __u64 *value = bpf_map_lookup_elem(&counts, &key);
    long full = 0;
    if (value)
        *value += add;
    else
        full = bpf_map_update_elem(&counts, &key, &add, BPF_NOEXIST);
    __u32 slot = key & 3;
    __u64 *total = bpf_map_lookup_elem(&totals, &slot);
    if (total)
        __sync_fetch_and_add(total, add);
    bpf_map_push_elem(&recent, &key, BPF_EXIST);
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (e) {
        e->key = key;
        e->full = full != 0;
        e->add = add;
        bpf_ringbuf_submit(e, 0);
    }
    calls++;
    return key % 7;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
