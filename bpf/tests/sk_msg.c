// SPDX-License-Identifier: GPL-2.0 OR MIT
// sk_msg verdict program for the attach tests: counts the sendmsg calls of the sockets in socks (verdicts[0]) and
// drops messages of exactly 13 bytes (verdicts[1]); the sender then sees EACCES.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_SOCKMAP);
    __uint(max_entries, 2);
    __uint(key_size, sizeof(__u32));     // sizes, not BTF types: the kernel refuses BTF on sockmaps (ENOTSUPP)
    __uint(value_size, sizeof(__u64));
} socks SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} verdicts SEC(".maps");

SEC("sk_msg")
int drop_13(struct sk_msg_md *msg)
{
    __u32 key = msg->size == 13 ? 1 : 0;
    __u64 *n = bpf_map_lookup_elem(&verdicts, &key);
    if (n)
        __sync_fetch_and_add(n, 1);
    return key ? SK_DROP : SK_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
