// Times the uBPF interpreter on a raw program file: ubpf_exec in a loop, best of several rounds.
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <time.h>
#include <ubpf.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }

int main(int argc, char** argv)
{
    if (argc < 4) { fprintf(stderr, "usage: driver prog.bin executed_insns runs\n"); return 2; }
    FILE* f = fopen(argv[1], "rb"); static uint8_t code[65536]; size_t n = fread(code, 1, sizeof code, f); fclose(f);
    double executed = atof(argv[2]); int runs = atoi(argv[3]);
    struct ubpf_vm* vm = ubpf_create();
    char* err = NULL;
    if (ubpf_load(vm, code, (uint32_t)n, &err) < 0) { fprintf(stderr, "load: %s\n", err); return 1; }
    uint8_t mem[64]; for (int i = 0; i < 64; i++) mem[i] = (uint8_t)i;
    uint64_t r0 = 0, sink = 0;
    for (int i = 0; i < runs / 10; i++) { ubpf_exec(vm, mem, sizeof mem, &r0); sink += r0; } // warm-up
    double best = 1e300;
    for (int round = 0; round < 10; round++)
    {
        double t0 = now();
        for (int i = 0; i < runs; i++) { ubpf_exec(vm, mem, sizeof mem, &r0); sink += r0; }
        double per = (now() - t0) / runs / executed;
        if (per < best) best = per;
    }
    printf("%s: %.3f ns/insn (best of 10 rounds of %d runs; r0=%llu, sink=%llu)\n", argv[1], best, runs, (unsigned long long)r0, (unsigned long long)sink);
    return 0;
}
