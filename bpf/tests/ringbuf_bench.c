// SPDX-License-Identifier: GPL-2.0 OR MIT
// The ring buffer benchmark's producer, shared by the managed consumer (bench/) and libbpf's (bench/libbpf-ringbuf):
// every run (BPF_PROG_TEST_RUN with a repeat count) reserves one 16- or 256-byte record, numbers it and submits it.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1024 * 1024);
} bench_rb SEC(".maps");

__u64 seq;
__u64 dropped;

#define PRODUCER(size)                                                    \
SEC("xdp")                                                                \
int produce##size(struct xdp_md *ctx)                                     \
{                                                                         \
    __u64 *r = bpf_ringbuf_reserve(&bench_rb, size, 0);                   \
    if (!r) {                                                             \
        __sync_fetch_and_add(&dropped, 1);                                \
        return XDP_PASS;                                                  \
    }                                                                     \
    r[0] = __sync_fetch_and_add(&seq, 1);                                 \
    r[1] = size;                                                          \
    bpf_ringbuf_submit(r, 0);                                             \
    return XDP_PASS;                                                      \
}

PRODUCER(16)
PRODUCER(256)

char LICENSE[] SEC("license") = "Dual MIT/GPL";
