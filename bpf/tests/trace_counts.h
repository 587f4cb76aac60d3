// SPDX-License-Identifier: GPL-2.0 OR MIT
// Shared by the tracing-hook test programs: counts[(tgid << 8) | slot] += 1, so a test reads what its own process
// triggered; slot numbers name the hook.
#pragma once
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

enum trace_slot {
    SLOT_TRACEPOINT = 1, SLOT_RAW_TP = 2, SLOT_TP_BTF = 3, SLOT_FENTRY = 4, SLOT_FEXIT = 5, SLOT_LSM = 6,
    SLOT_KPROBE = 7, SLOT_KRETPROBE = 8, SLOT_UPROBE = 9, SLOT_URETPROBE = 10, SLOT_PERF_EVENT = 11,
    SLOT_KPROBE_MULTI = 12, SLOT_UPROBE_MULTI = 13, SLOT_URETPROBE_MULTI = 14,
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, __u64);
    __type(value, __u64);
} counts SEC(".maps");

static __always_inline void bump_key(__u64 key)
{
    __u64 one = 1, *value = bpf_map_lookup_elem(&counts, &key);
    if (value)
        __sync_fetch_and_add(value, 1);
    else
        bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
}

static __always_inline void bump(enum trace_slot slot)
{
    bump_key(((bpf_get_current_pid_tgid() >> 32) << 8) | slot);
}
