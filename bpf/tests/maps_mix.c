// SPDX-License-Identifier: GPL-2.0 OR MIT
// Exercises map definitions and references: BTF-defined maps in .maps (hash, array, per-CPU hash, LRU hash,
// ring buffer, and an array of maps whose inner map is set with `values`), lookups and updates through lddw map
// relocations, and atomic adds (__sync_fetch_and_add with an unused result: lock xadd).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 128);
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
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u64);
} per_cpu SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 256);
    __type(key, __u64);
    __type(value, __u32);
} recent SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

struct inner_map {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} inner SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 2);
    __type(key, __u32);
    __array(values, struct inner_map);
} outer SEC(".maps") = {
    .values = { [0] = &inner },
};

SEC("xdp")
int maps_prog(struct xdp_md *ctx)
{
    __u32 len = ctx->data_end - ctx->data;
    __u32 key = len & 3;
    __u64 one = 1, *value;

    value = bpf_map_lookup_elem(&counts, &key);
    if (value)
        __sync_fetch_and_add(value, 1);
    else
        bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);

    value = bpf_map_lookup_elem(&totals, &key);
    if (value)
        __sync_fetch_and_add(value, len);

    value = bpf_map_lookup_elem(&per_cpu, &key);
    if (value)
        *value += len;
    else
        bpf_map_update_elem(&per_cpu, &key, &one, BPF_ANY);

    __u64 stamp = bpf_ktime_get_ns();
    bpf_map_update_elem(&recent, &stamp, &len, BPF_ANY);

    __u32 zero = 0;
    void *map = bpf_map_lookup_elem(&outer, &zero);
    if (map) {
        __u32 *slot = bpf_map_lookup_elem(map, &zero);
        if (slot)
            __sync_fetch_and_add(slot, 1);
    }

    __u32 *record = bpf_ringbuf_reserve(&events, sizeof(*record), 0);
    if (record) {
        *record = len;
        bpf_ringbuf_submit(record, 0);
    }
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
