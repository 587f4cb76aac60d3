// SPDX-License-Identifier: GPL-2.0 OR MIT
// The "trace opens" scenario: on every openat(2) (tracepoint syscalls/sys_enter_openat) send the caller's pid,
// command name and the path (bpf_probe_read_user_str) through a ring buffer.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define PATH_LEN 256

struct open_event {
    __u32 pid;
    __u32 tgid;
    char comm[16];
    char path[PATH_LEN];
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256 * 1024);
} opens SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int trace_openat(struct trace_event_raw_sys_enter *ctx)
{
    struct open_event *event = bpf_ringbuf_reserve(&opens, sizeof(*event), 0);
    if (!event)
        return 0;
    __u64 id = bpf_get_current_pid_tgid();
    event->pid = (__u32)id;
    event->tgid = id >> 32;
    bpf_get_current_comm(event->comm, sizeof(event->comm));
    bpf_probe_read_user_str(event->path, sizeof(event->path), (const char *)ctx->args[1]);
    bpf_ringbuf_submit(event, 0);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
