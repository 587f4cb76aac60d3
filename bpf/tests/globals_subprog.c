// SPDX-License-Identifier: GPL-2.0 OR MIT
// Exercises global data and calls: variables in .data, .rodata and .bss (lddw with relocations against section
// symbols), a static subprogram and a global subprogram in .text (call with R_BPF_64_32 relocations), and a
// bpf_loop callback (lddw of a function address, BPF_PSEUDO_FUNC after loading).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 packets = 1;                       // .data
const volatile __u32 limit = 64;         // .rodata (a load-time constant)
__u64 bytes;                             // .bss
char tag[8] = "hello";                   // .data, an array

static __noinline __u64 scale(__u64 value, __u32 factor)
{
    return value * factor + tag[value & 3];
}

__noinline int clamp_len(__u32 len)
{
    if (len > limit)
        return limit;
    return len;
}

struct loop_ctx {
    __u64 sum;
    __u32 step;
};

static __noinline int add_step(__u32 index, void *data)
{
    struct loop_ctx *lc = data;
    lc->sum += index * lc->step;
    return lc->sum > 1000 ? 1 : 0;
}

SEC("xdp")
int globals_prog(struct xdp_md *ctx)
{
    __u32 len = ctx->data_end - ctx->data;
    struct loop_ctx lc = { .sum = 0, .step = 3 };

    bpf_loop(16, add_step, &lc, 0);
    packets += 1;
    bytes += scale(clamp_len(len), 2) + lc.sum;
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
