// SPDX-License-Identifier: GPL-2.0 OR MIT
// Exercises CO-RE: reads task_struct->pid, ->tgid, ->comm and the parent's pid through vmlinux.h and
// BPF_CORE_READ (field relocations in .BTF.ext), in a tracepoint program (sched/sched_process_exec).
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

SEC("tracepoint/sched/sched_process_exec")
int core_task(void *ctx)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();

    last_exec.pid = BPF_CORE_READ(task, pid);
    last_exec.tgid = BPF_CORE_READ(task, tgid);
    last_exec.parent_pid = BPF_CORE_READ(task, real_parent, tgid);
    BPF_CORE_READ_STR_INTO(&last_exec.comm, task, comm);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
