// SPDX-License-Identifier: GPL-2.0 OR MIT
// BPF iterators (Linux 5.8+): one line "tgid pid comm" per task, one line "id name" per map.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("iter/task")
int dump_tasks(struct bpf_iter__task *ctx)
{
    struct seq_file *seq = ctx->meta->seq;
    struct task_struct *task = ctx->task;
    if (!task)
        return 0;
    BPF_SEQ_PRINTF(seq, "%d %d %s\n", task->tgid, task->pid, task->comm);
    return 0;
}

SEC("iter/bpf_map")
int dump_maps(struct bpf_iter__bpf_map *ctx)
{
    struct seq_file *seq = ctx->meta->seq;
    struct bpf_map *map = ctx->map;
    if (!map)
        return 0;
    BPF_SEQ_PRINTF(seq, "%u %s\n", map->id, map->name);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
