// SPDX-License-Identifier: GPL-2.0 OR MIT
// Two programs, only one of which reads the object's .rodata: libbpf binds .rodata to both (BPF_PROG_BIND_MAP), and
// so must KernelCollection.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 verdict = 1;

SEC("socket")
int reads_rodata(struct __sk_buff *skb)
{
    return verdict;
}

SEC("socket")
int ignores_rodata(struct __sk_buff *skb)
{
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
