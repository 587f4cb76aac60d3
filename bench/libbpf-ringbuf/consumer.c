// SPDX-License-Identifier: MIT
// The libbpf side of the ring buffer benchmark (docs/PERFORMANCE.md, "Events"): loads ringbuf_bench.o with libbpf,
// then ROUNDS times fills the ring with BPF_PROG_TEST_RUN (repeat = records that fit) and drains it with
// ring_buffer__consume, timing only the drain (wall clock and this thread's CPU time).
// Usage: consumer OBJECT SIZE(16|256) ROUNDS
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static unsigned long long sum;

static int handle(void *ctx, void *data, size_t size)
{
    sum += *(unsigned long long *)data;   // touch the record, as a real consumer would
    return 0;
}

static long long ns(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s OBJECT SIZE ROUNDS\n", argv[0]);
        return 2;
    }
    int size = atoi(argv[2]), rounds = atoi(argv[3]);
    char prog_name[32];
    snprintf(prog_name, sizeof(prog_name), "produce%d", size);
    struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
    if (!obj || bpf_object__load(obj)) {
        fprintf(stderr, "cannot load %s\n", argv[1]);
        return 1;
    }
    struct bpf_program *prog = bpf_object__find_program_by_name(obj, prog_name);
    struct bpf_map *map = bpf_object__find_map_by_name(obj, "bench_rb");
    if (!prog || !map) {
        fprintf(stderr, "no %s or bench_rb in %s\n", prog_name, argv[1]);
        return 1;
    }
    struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(map), handle, NULL, NULL);
    if (!rb) {
        fprintf(stderr, "ring_buffer__new failed\n");
        return 1;
    }
    int per_fill = bpf_map__max_entries(map) / ((size + 8 + 7) & ~7);
    char packet[64] = {0};
    long long events = 0, wall = 0, cpu = 0;
    for (int r = 0; r < 50; r++) {   // warm-up rounds (not counted), as the managed side does for its JIT
        LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = packet, .data_size_in = sizeof(packet), .repeat = per_fill);
        bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
        ring_buffer__consume(rb);
    }
    sum = 0;
    for (int r = 0; r < rounds; r++) {
        LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = packet, .data_size_in = sizeof(packet), .repeat = per_fill);
        if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts)) {
            fprintf(stderr, "test run failed\n");
            return 1;
        }
        long long w0 = ns(CLOCK_MONOTONIC), c0 = ns(CLOCK_THREAD_CPUTIME_ID);
        int n = ring_buffer__consume(rb);
        wall += ns(CLOCK_MONOTONIC) - w0;
        cpu += ns(CLOCK_THREAD_CPUTIME_ID) - c0;
        if (n < 0) {
            fprintf(stderr, "consume failed: %d\n", n);
            return 1;
        }
        events += n;
    }
    printf("{\"consumer\":\"libbpf\",\"size\":%d,\"events\":%lld,\"wall_ns\":%lld,\"cpu_ns\":%lld,\"checksum\":%llu}\n",
           size, events, wall, cpu, sum);
    ring_buffer__free(rb);
    bpf_object__close(obj);
    return 0;
}
