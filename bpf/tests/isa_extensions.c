// SPDX-License-Identifier: GPL-2.0 OR MIT
// Exercises instructions clang 14 cannot emit from C or assemble (written as raw .quad words): 64- and 32-bit
// atomic fetch/xchg/cmpxchg and lock or/and/xor, BPF_ST stores of immediates, BPF_MOD, BPF_JSET, and the ISA v4
// additions (sdiv/smod, movsx, sign-extending loads, bswap, gotol). The disassembler must name them all although
// LLVM 14's llvm-objdump prints most of them as <unknown>. Loads on Linux 6.6+ (v4 instructions).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static volatile __u64 sink;

SEC("xdp")
int isa_extensions(struct xdp_md *ctx)
{
    __u64 out;

    asm volatile(
        "r1 = 5\n\t"
        "r0 = 5\n\t"
        "*(u64 *)(r10 - 8) = r1\n\t"
        "*(u32 *)(r10 - 16) = r1\n\t"
        ".quad 0x00000001fff81adb\n\t"   // r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)
        ".quad 0x00000041fff81adb\n\t"   // r1 = atomic_fetch_or((u64 *)(r10 - 8), r1)
        ".quad 0x00000051fff81adb\n\t"   // r1 = atomic_fetch_and((u64 *)(r10 - 8), r1)
        ".quad 0x000000a1fff81adb\n\t"   // r1 = atomic_fetch_xor((u64 *)(r10 - 8), r1)
        ".quad 0x000000a0fff81adb\n\t"   // lock *(u64 *)(r10 - 8) ^= r1
        ".quad 0x000000e1fff81adb\n\t"   // r1 = xchg_64(r10 - 8, r1)
        ".quad 0x000000f1fff81adb\n\t"   // r0 = cmpxchg_64(r10 - 8, r0, r1)
        ".quad 0x00000040fff01ac3\n\t"   // lock *(u32 *)(r10 - 16) |= w1
        ".quad 0x00000050fff01ac3\n\t"   // lock *(u32 *)(r10 - 16) &= w1
        ".quad 0x000000a0fff01ac3\n\t"   // lock *(u32 *)(r10 - 16) ^= w1
        ".quad 0x00000001fff01ac3\n\t"   // w1 = atomic_fetch_add((u32 *)(r10 - 16), w1)
        ".quad 0x00000041fff01ac3\n\t"   // w1 = atomic_fetch_or((u32 *)(r10 - 16), w1)
        ".quad 0x00000051fff01ac3\n\t"   // w1 = atomic_fetch_and((u32 *)(r10 - 16), w1)
        ".quad 0x000000a1fff01ac3\n\t"   // w1 = atomic_fetch_xor((u32 *)(r10 - 16), w1)
        ".quad 0x000000e1fff01ac3\n\t"   // w1 = xchg32_32(r10 - 16, w1)
        ".quad 0x000000f1fff01ac3\n\t"   // w0 = cmpxchg32_32(r10 - 16, w0, w1)
        ".quad 0x00000007ffe80a7a\n\t"   // *(u64 *)(r10 - 24) = 7
        ".quad 0xfffffffbffe40a62\n\t"   // *(u32 *)(r10 - 28) = -5
        ".quad 0x0000012cffe20a6a\n\t"   // *(u16 *)(r10 - 30) = 300
        ".quad 0x00000001ffe10a72\n\t"   // *(u8 *)(r10 - 31) = 1
        ".quad 0x00000003000002b7\n\t"   // r2 = 3 (r2 must be nonzero for the divisions below)
        ".quad 0x0000000300000194\n\t"   // w1 %= 3
        ".quad 0x000000000000219f\n\t"   // r1 %= r2
        ".quad 0x0000000400000145\n\t"   // if r1 & 0x4 goto +0
        ".quad 0x000000000000214d\n\t"   // if r1 & r2 goto +0
        ".quad 0x0000000400000146\n\t"   // if w1 & 0x4 goto +0
        ".quad 0x000000000000214e\n\t"   // if w1 & w2 goto +0
        ".quad 0x000000000001213f\n\t"   // r1 s/= r2 (v4)
        ".quad 0x000000000001219f\n\t"   // r1 s%= r2 (v4)
        ".quad 0xfffffffd00010134\n\t"   // w1 s/= -3 (v4)
        ".quad 0x000000000001219c\n\t"   // w1 s%= w2 (v4)
        ".quad 0x00000000000821bf\n\t"   // r1 = (s8)r2 (v4)
        ".quad 0x00000000001021bf\n\t"   // r1 = (s16)r2 (v4)
        ".quad 0x00000000002021bf\n\t"   // r1 = (s32)r2 (v4)
        ".quad 0x00000000000821bc\n\t"   // w1 = (s8)w2 (v4)
        ".quad 0x00000000001021bc\n\t"   // w1 = (s16)w2 (v4)
        ".quad 0x00000000fff8a391\n\t"   // r3 = *(s8 *)(r10 - 8) (v4)
        ".quad 0x00000000fff8a389\n\t"   // r3 = *(s16 *)(r10 - 8) (v4)
        ".quad 0x00000000fff8a381\n\t"   // r3 = *(s32 *)(r10 - 8) (v4)
        ".quad 0x00000010000003d7\n\t"   // r3 = bswap16 r3 (v4)
        ".quad 0x00000020000003d7\n\t"   // r3 = bswap32 r3 (v4)
        ".quad 0x00000040000003d7\n\t"   // r3 = bswap64 r3 (v4)
        ".quad 0x0000000000000006\n\t"   // gotol +0 (v4)
        "%[out] = r1\n\t"
        : [out] "=r"(out)
        :
        : "r0", "r1", "r2", "r3", "memory");
    sink = out;
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
