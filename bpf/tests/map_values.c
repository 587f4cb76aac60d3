// SPDX-License-Identifier: GPL-2.0 OR MIT
// Map values with every shape bpftool's "formatted" rendering distinguishes: a struct with bitfields, a signed
// and an unsigned enum, a char array holding a string and one holding bytes, a nested array, a union, a bool, a
// pointer-sized integer; and global variables in .data/.bss. The CLI tests fill them and compare the dumps.
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

enum colour { RED = 1, GREEN = 2, BLUE = 4 };
enum delta { DOWN = -1, FLAT = 0, UP = 1 };

struct flags {
    unsigned int low : 3;
    unsigned int mid : 9;
    int negative : 4;
};

struct shape {
    struct flags f;
    enum colour colour;
    enum delta delta;
    char label[8];
    unsigned char raw[4];
    short grid[2][3];
    union {
        __u32 as_u32;
        __u8 as_bytes[4];
    } u;
    bool on;
    __s64 big;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, struct shape);
} shapes SEC(".maps");

struct key2 {
    __u16 port;
    __u8 proto;
    __u8 pad;
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, enum colour);
} colours SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4);
    __type(key, struct key2);
    __type(value, __s32);
} by_port SEC(".maps");

int counter = 7;
char greeting[6] = "hello";
__u64 zeroed;

SEC("xdp")
int touch(struct xdp_md *ctx)
{
    __u32 k = 0;
    struct shape *s = bpf_map_lookup_elem(&shapes, &k);
    if (s)
        s->big += counter + greeting[0] + zeroed;
    struct key2 p = { .port = 53, .proto = 17 };
    __s32 *v = bpf_map_lookup_elem(&by_port, &p);
    if (v)
        *v += 1;
    enum colour *c = bpf_map_lookup_elem(&colours, &k);
    return c && *c == RED ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
