// SPDX-License-Identifier: GPL-2.0 OR MIT
// fentry/fexit on do_sys_openat2 (Linux 5.5+ trampolines). fexit records each fd it saw returned to this process.
#include "trace_counts.h"
#include <bpf/bpf_tracing.h>

struct ret_key {
    __u32 tgid;
    __s32 ret;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct ret_key);
    __type(value, __u32);
} returned SEC(".maps");

SEC("fentry/do_sys_openat2")
int BPF_PROG(fentry_openat2, int dfd, const char *filename, struct open_how *how) { bump(SLOT_FENTRY); return 0; }

SEC("fexit/do_sys_openat2")
int BPF_PROG(fexit_openat2, int dfd, const char *filename, struct open_how *how, long ret)
{
    struct ret_key key = { .tgid = bpf_get_current_pid_tgid() >> 32, .ret = (__s32)ret };
    __u32 one = 1;
    bump(SLOT_FEXIT);
    bpf_map_update_elem(&returned, &key, &one, BPF_ANY);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
