// SPDX-License-Identifier: GPL-2.0 OR MIT
// Exercises the disassembler on arithmetic and jumps: every 64-bit ALU and JMP form clang -O2 emits from C
// (volatile operands keep each operation alive), and, through inline assembly, the 32-bit (wN) ALU and JMP32
// forms, byte swaps and negation, which the default CPU (v1) never emits from C.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static volatile __u64 vu = 0x1234;
static volatile __s64 vs = -77;

SEC("xdp")
int alu64_mix(struct xdp_md *ctx)
{
    __u64 a = vu, b = vu | 1;
    __s64 s = vs;
    __u64 r = 0;

    r += a + b;
    r += a - b;
    r += a * b;
    r += a / b;
    r += a | 0x55;
    r += a & b;
    r += a << 3;
    r += a >> (b & 63);
    r += a ^ 0xff;
    r += (__u64)(s >> 7);
    r += (__u64)(s >> (b & 31));
    r += -a;
    r += a * 1000000;
    r += a / 10;
    r += 0x123456789abcdefULL ^ a;
    r += a - 0x80000000ULL;

    if (a == b) r += 1;
    if (a != 7) r += 2;
    if (a > b) r += 3;
    if (a >= 9) r += 4;
    if (a < b) r += 5;
    if (a <= 11) r += 6;
    if (s > -3) r += 7;
    if (s >= (__s64)b) r += 8;
    if (s < -100) r += 9;
    if (s <= (__s64)a) r += 10;
    vu = r;
    return XDP_PASS;
}

SEC("xdp")
int alu32_mix(struct xdp_md *ctx)
{
    __u64 out;

    // 32-bit ALU and JMP32 forms with register and immediate operands, byte swaps and neg.
    asm volatile(
        "w1 = 7\n\t"
        "w2 = w1\n\t"
        "w2 += w1\n\t"
        "w2 += -3\n\t"
        "w2 -= w1\n\t"
        "w2 -= 1\n\t"
        "w2 *= w1\n\t"
        "w2 *= 3\n\t"
        "w2 /= w1\n\t"
        "w2 /= 2\n\t"
        "w2 |= w1\n\t"
        "w2 |= 0x100\n\t"
        "w2 &= w1\n\t"
        "w2 &= 0xfff\n\t"
        "w2 <<= w1\n\t"
        "w2 <<= 2\n\t"
        "w2 >>= w1\n\t"
        "w2 >>= 1\n\t"
        "w2 s>>= w1\n\t"
        "w2 s>>= 3\n\t"
        "w2 ^= w1\n\t"
        "w2 ^= -1\n\t"
        "w2 = -w2\n\t"
        "r2 = be16 r2\n\t"
        "r2 = be32 r2\n\t"
        "r2 = be64 r2\n\t"
        "r2 = le16 r2\n\t"
        "r2 = le32 r2\n\t"
        "r2 = le64 r2\n\t"
        "if w2 == w1 goto +1\n\t"
        "w2 += 1\n\t"
        "if w2 != 5 goto +1\n\t"
        "w2 += 1\n\t"
        "if w2 > w1 goto +1\n\t"
        "w2 += 1\n\t"
        "if w2 >= 6 goto +1\n\t"
        "w2 += 1\n\t"
        "if w2 < w1 goto +1\n\t"
        "w2 += 1\n\t"
        "if w2 <= 6 goto +1\n\t"
        "w2 += 1\n\t"
        "if w2 s> w1 goto +1\n\t"
        "w2 += 1\n\t"
        "if w2 s>= -6 goto +1\n\t"
        "w2 += 1\n\t"
        "if w2 s< w1 goto +1\n\t"
        "w2 += 1\n\t"
        "if w2 s<= -6 goto +1\n\t"
        "w2 += 1\n\t"
        "if w2 == -6 goto -2\n\t"
        "%[out] = r2\n\t"
        : [out] "=r"(out)
        :
        : "r1", "r2");
    vu = out;
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
