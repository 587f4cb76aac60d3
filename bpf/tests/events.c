// SPDX-License-Identifier: GPL-2.0 OR MIT
// Event producers for the readers' tests and the CLI's event_pipe: XDP programs (driven by BPF_PROG_TEST_RUN) that
// emit a numbered `struct event` into a ring buffer or a perf event array. `last_event` gives the record type a
// place in the BTF (as a map value type) so that typed readers can check their C# layout against it.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct event {
    __u64 seq;
    __u32 cpu;
    __u32 magic;
    char comm[16];
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256 * 1024);
} events_rb SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
    __uint(max_entries, 128);   // libbpf would size 0 to the possible CPUs; KernelCollection takes it literally
} events_perf SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct event);
} last_event SEC(".maps");

__u64 produced;
__u64 dropped;

static void fill(struct event *e)
{
    __u32 key = 0;
    struct event copy;

    // Not __sync_fetch_and_add: a fetching atomic needs Linux 5.12, and the tests run one producer at a time.
    e->seq = produced++;
    e->cpu = bpf_get_smp_processor_id();
    e->magic = 0xeb9f;
    __builtin_memcpy(e->comm, "ebpf-net-events", 16);
    // Through the stack: before Linux 6.x a ring buffer record cannot be a helper's map value argument.
    __builtin_memcpy(&copy, e, sizeof(copy));
    bpf_map_update_elem(&last_event, &key, &copy, BPF_ANY);
}

SEC("xdp")
int emit_rb(struct xdp_md *ctx)
{
    struct event *e = bpf_ringbuf_reserve(&events_rb, sizeof(*e), 0);
    if (!e) {
        __sync_fetch_and_add(&dropped, 1);
        return XDP_PASS;
    }
    fill(e);
    bpf_ringbuf_submit(e, 0);
    return XDP_PASS;
}

SEC("xdp")
int emit_perf(struct xdp_md *ctx)
{
    struct event e = {};
    fill(&e);
    if (bpf_perf_event_output(ctx, &events_perf, BPF_F_CURRENT_CPU, &e, sizeof(e)))
        __sync_fetch_and_add(&dropped, 1);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
