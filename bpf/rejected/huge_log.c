// SPDX-License-Identifier: GPL-2.0 OR MIT
// Rejected on purpose (bpf/rejected/ is left out of "every object loads"): 262,144 straight-line moves and then a read
// of r5, which nothing wrote. The verifier's log of the failure is several MB even at level 1; it must reach the
// caller whole and equal what bpftool prints for this object.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define X2(s) s s
#define X4(s) X2(X2(s))
#define X16(s) X4(X4(s))
#define X4096(s) X16(X16(X16(s)))

SEC("socket")
int huge_log(struct __sk_buff *skb)
{
    asm volatile(X16(X4(X4096("r1 = 1;"))) : : : "r1");
    long never_written;
    asm volatile("%[out] = r5;" : [out] "=r"(never_written));
    return never_written;
}

char LICENSE[] SEC("license") = "GPL";
