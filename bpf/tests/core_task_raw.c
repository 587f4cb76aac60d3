// SPDX-License-Identifier: GPL-2.0 OR MIT
// core_task.c's CO-RE reads (task_struct->pid, ->tgid, ->comm, the parent's tgid) in a raw tracepoint program:
// its attachment is a BPF link on every kernel since 5.7, so `ebpf prog loadall ... autoattach` can pin it even where
// tracepoint attachments are perf event ioctls (before 5.15). The kernel matrix's seed workflow uses it.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_info {
    __u32 pid;
    __u32 tgid;
    __u32 parent_pid;
    char comm[16];
};

struct task_info last_exec;   // .bss: the last process that called exec

SEC("raw_tp/sched_process_exec")
int core_task_raw(void *ctx)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();

    last_exec.pid = BPF_CORE_READ(task, pid);
    last_exec.tgid = BPF_CORE_READ(task, tgid);
    last_exec.parent_pid = BPF_CORE_READ(task, real_parent, tgid);
    BPF_CORE_READ_STR_INTO(&last_exec.comm, task, comm);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
