// SPDX-License-Identifier: GPL-2.0 OR MIT
// Drains a user ring buffer (Linux 6.1+): every run of `drain` (XDP, driven by BPF_PROG_TEST_RUN) passes the samples
// user space submitted to a callback that reads each sample's first u64 and adds it up in `totals`.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
    __uint(max_entries, 16 * 1024);
} commands SEC(".maps");

struct totals {
    __u64 count;     // samples the callback read
    __u64 sum;       // the sum of their first u64
    __u64 bad;       // samples too short to read
    __s64 drained;   // the sum of bpf_user_ringbuf_drain's results
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct totals);
} totals SEC(".maps");

static long on_sample(struct bpf_dynptr *sample, void *ctx)
{
    __u32 key = 0;
    struct totals *t = bpf_map_lookup_elem(&totals, &key);
    __u64 value;
    if (!t)
        return 1;
    if (bpf_dynptr_read(&value, sizeof(value), sample, 0, 0)) {
        __sync_fetch_and_add(&t->bad, 1);
        return 0;
    }
    __sync_fetch_and_add(&t->count, 1);
    __sync_fetch_and_add(&t->sum, value);
    return 0;
}

SEC("xdp")
int drain(struct xdp_md *ctx)
{
    __u32 key = 0;
    struct totals *t = bpf_map_lookup_elem(&totals, &key);
    if (!t)
        return XDP_PASS;
    long n = bpf_user_ringbuf_drain(&commands, on_sample, NULL, 0);
    __sync_fetch_and_add(&t->drained, n);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
