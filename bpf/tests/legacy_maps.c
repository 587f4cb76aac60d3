// SPDX-License-Identifier: GPL-2.0 OR MIT
// Exercises the legacy "maps" section (struct bpf_map_def, libbpf before 1.0; iproute2 still writes them): three
// map definitions as plain structs, referenced through lddw relocations. libbpf 1.0+ (bpftool) refuses this
// object; the loader tests check it against the definitions below.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct legacy_map_def {
    unsigned int type;
    unsigned int key_size;
    unsigned int value_size;
    unsigned int max_entries;
    unsigned int map_flags;
};

struct legacy_map_def legacy_hash SEC("maps") = {
    .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 32, .map_flags = 0,
};
struct legacy_map_def legacy_array SEC("maps") = {
    .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 16, .max_entries = 8, .map_flags = 0,
};
struct legacy_map_def legacy_lru SEC("maps") = {
    .type = BPF_MAP_TYPE_LRU_HASH, .key_size = 8, .value_size = 4, .max_entries = 64, .map_flags = 0,
};

SEC("socket")
int legacy_prog(struct __sk_buff *skb)
{
    __u32 key = skb->len & 7;
    __u64 *v = bpf_map_lookup_elem(&legacy_hash, &key);
    if (v)
        *v += 1;
    void *a = bpf_map_lookup_elem(&legacy_array, &key);
    __u64 k8 = skb->hash;
    __u32 *l = bpf_map_lookup_elem(&legacy_lru, &k8);
    return (a ? 1 : 0) + (l ? 2 : 0);
}

char LICENSE[] SEC("license") = "GPL";
