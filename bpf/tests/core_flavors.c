// SPDX-License-Identifier: GPL-2.0 OR MIT
// Exercises CO-RE beyond a same-kernel no-op: local "flavoured" definitions (task_struct___local, with fields in
// another order and bitfields elsewhere) whose offsets differ from the kernel's, so every field relocation is
// really patched; field existence of a missing field (its guarded read is poisoned, dead code for the verifier);
// type existence and size, enum value existence and value through a flavoured enum, bitfield reads (byte offset,
// size, signedness, shifts), and local and target type ids (lddw).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct___local {
    char comm[16];
    int tgid;
    unsigned int sched_contributes_to_load: 1;
    unsigned int sched_reset_on_fork: 1;
    int pid;
    struct task_struct___local *real_parent;
    long no_such_field;
} __attribute__((preserve_access_index));

struct no_such_type___local {
    int a;
} __attribute__((preserve_access_index));

enum pid_type___local {
    PIDTYPE_PID___local = 7,
    PIDTYPE_TGID___local = 9,
    PIDTYPE_NOPE___local = 5,
};

struct core_out {
    __u64 pid, tgid, parent_tgid, missing, has_missing, has_type, no_type, task_size, tgid_value, nope_exists,
        reset_on_fork, load_bit, comm_size, pid_signed, local_id, target_id;
};

struct core_out core_result;

SEC("tracepoint/sched/sched_process_exec")
int core_flavors(void *ctx)
{
    struct task_struct___local *task = (void *)bpf_get_current_task();
    struct core_out *out = &core_result;

    out->pid = BPF_CORE_READ(task, pid);
    out->tgid = BPF_CORE_READ(task, tgid);
    out->parent_tgid = BPF_CORE_READ(task, real_parent, tgid);
    out->has_missing = bpf_core_field_exists(task->no_such_field);
    if (bpf_core_field_exists(task->no_such_field))
        out->missing = BPF_CORE_READ(task, no_such_field);
    out->has_type = bpf_core_type_exists(struct task_struct);
    out->no_type = bpf_core_type_exists(struct no_such_type___local);
    out->task_size = bpf_core_type_size(struct task_struct);
    out->tgid_value = bpf_core_enum_value(enum pid_type___local, PIDTYPE_TGID___local);
    out->nope_exists = bpf_core_enum_value_exists(enum pid_type___local, PIDTYPE_NOPE___local);
    out->reset_on_fork = BPF_CORE_READ_BITFIELD_PROBED(task, sched_reset_on_fork);
    out->load_bit = BPF_CORE_READ_BITFIELD_PROBED(task, sched_contributes_to_load);
    out->comm_size = bpf_core_field_size(task->comm);
    out->pid_signed = __builtin_preserve_field_info(task->pid, BPF_FIELD_SIGNED);
    out->local_id = bpf_core_type_id_local(struct task_struct___local);
    out->target_id = bpf_core_type_id_kernel(struct task_struct___local);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
