// SPDX-License-Identifier: MIT
// The libbpf side of the kernel-backend benchmark (bench/libbpf-maps/run.sh runs it next to the managed harness).
// Prints one line per measurement, "name ns_per_op", the same names the managed harness prints:
//   hash_update_lookup  one bpf_map_update_elem + one bpf_map_lookup_elem on a u32 -> u64 hash map
//   batch_lookup_1m     one bpf_map_lookup_batch walk over a 1,000,000-element hash map (ns per element)
//   iterate_1m          get_next_key + lookup over the same map (ns per element), the pre-batch way
//   object_load         bpf_object__open_file + bpf_object__load + bpf_object__close of OBJECT (ns per object)
// Each measurement is the best of a few rounds (the managed harness uses the same counts); run.sh alternates the two
// programs several times and keeps each side's best, so both see the same machine load.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stdarg.h>

#define SINGLE_ROUNDS 5
#define SINGLE_OPS 20000
#define BIG_ROUNDS 2
#define LOAD_ROUNDS 3
#define BIG 1000000
#define BATCH 4096

// CPU time of the process (user + system, all threads), not wall time: the machine is shared, and time spent waiting
// for a CPU says nothing about either side. The managed harness reads the same clock.
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what, int err)
{
    fprintf(stderr, "%s: %s\n", what, strerror(err < 0 ? -err : err));
    exit(1);
}

static double hash_update_lookup(void)
{
    int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "b_single", 4, 8, 65536, NULL);
    if (fd < 0) die("create hash", errno);
    double best = 1e30;
    for (int r = 0; r < SINGLE_ROUNDS; r++) {
        double t0 = now_ns();
        for (uint32_t i = 0; i < SINGLE_OPS; i++) {
            uint32_t key = i & 0xffff;
            uint64_t value = i, out;
            if (bpf_map_update_elem(fd, &key, &value, BPF_ANY)) die("update", errno);
            if (bpf_map_lookup_elem(fd, &key, &out)) die("lookup", errno);
        }
        double t = (now_ns() - t0) / SINGLE_OPS;
        if (t < best) best = t;
    }
    close(fd);
    return best;
}

static int fill_big(void)
{
    int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "b_big", 4, 8, BIG, NULL);
    if (fd < 0) die("create 1M hash", errno);
    uint32_t *keys = malloc(sizeof(uint32_t) * BIG);
    uint64_t *values = malloc(sizeof(uint64_t) * BIG);
    for (uint32_t i = 0; i < BIG; i++) { keys[i] = i; values[i] = (uint64_t)i * 3; }
    uint32_t count = BIG;
    if (bpf_map_update_batch(fd, keys, values, &count, NULL)) die("update batch", errno);
    free(keys);
    free(values);
    return fd;
}

static double batch_lookup(int fd)
{
    uint32_t *keys = malloc(sizeof(uint32_t) * BATCH);
    uint64_t *values = malloc(sizeof(uint64_t) * BATCH);
    double best = 1e30;
    for (int r = 0; r < BIG_ROUNDS; r++) {
        uint32_t token = 0, total = 0;
        int started = 0;
        double t0 = now_ns();
        for (;;) {
            uint32_t count = BATCH;
            int err = bpf_map_lookup_batch(fd, started ? &token : NULL, &token, keys, values, &count, NULL);
            started = 1;
            total += count;
            if (err) {
                if (errno == ENOENT) break;
                die("lookup batch", errno);
            }
        }
        if (total != BIG) { fprintf(stderr, "batch walk saw %u elements\n", total); exit(1); }
        double t = (now_ns() - t0) / BIG;
        if (t < best) best = t;
    }
    free(keys);
    free(values);
    return best;
}

static double iterate(int fd)
{
    double best = 1e30;
    for (int r = 0; r < BIG_ROUNDS; r++) {
        uint32_t key, next, total = 0;
        uint64_t value;
        double t0 = now_ns();
        for (int err = bpf_map_get_next_key(fd, NULL, &next); !err; err = bpf_map_get_next_key(fd, &key, &next)) {
            if (bpf_map_lookup_elem(fd, &next, &value)) die("lookup", errno);
            key = next;
            total++;
        }
        if (total != BIG) { fprintf(stderr, "iteration saw %u elements\n", total); exit(1); }
        double t = (now_ns() - t0) / BIG;
        if (t < best) best = t;
    }
    return best;
}

static double object_load(const char *path, int n)
{
    double best = 1e30;
    for (int r = 0; r < LOAD_ROUNDS; r++) {
        double t0 = now_ns();
        for (int i = 0; i < n; i++) {
            struct bpf_object *obj = bpf_object__open_file(path, NULL);
            if (!obj) die("open object", errno);
            int err = bpf_object__load(obj);
            if (err) die("load object", err);
            bpf_object__close(obj);
        }
        double t = (now_ns() - t0) / n;
        if (t < best) best = t;
    }
    return best;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
    return level == LIBBPF_WARN ? vfprintf(stderr, fmt, args) : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: %s OBJECT [LOADS]\n", argv[0]); return 2; }
    int loads = argc > 2 ? atoi(argv[2]) : 20;
    libbpf_set_print(quiet);
    printf("hash_update_lookup %.1f\n", hash_update_lookup());
    int big = fill_big();
    printf("batch_lookup_1m %.1f\n", batch_lookup(big));
    printf("iterate_1m %.1f\n", iterate(big));
    close(big);
    printf("object_load %.1f\n", object_load(argv[1], loads));
    return 0;
}
