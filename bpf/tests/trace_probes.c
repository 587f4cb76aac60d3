// SPDX-License-Identifier: GPL-2.0 OR MIT
// Perf-event and raw tracepoint hooks that every kernel of the matrix has (kprobes may be compiled out: then only
// their attach fails). The uprobes name libc's getpid, which the tests call through P/Invoke.
#include "trace_counts.h"

SEC("tracepoint/syscalls/sys_enter_getppid")
int tp_getppid(void *ctx) { bump(SLOT_TRACEPOINT); return 0; }

SEC("raw_tp/sys_enter")
int raw_sys_enter(struct bpf_raw_tracepoint_args *ctx) { bump(SLOT_RAW_TP); return 0; }

SEC("kprobe/do_sys_openat2")
int kprobe_openat2(struct pt_regs *ctx) { bump(SLOT_KPROBE); return 0; }

SEC("kretprobe/do_sys_openat2")
int kret_openat2(struct pt_regs *ctx) { bump(SLOT_KRETPROBE); return 0; }

SEC("uprobe/libc.so.6:getpid")
int uprobe_getpid(struct pt_regs *ctx) { bump(SLOT_UPROBE); return 0; }

SEC("uretprobe/libc.so.6:getpid")
int uret_getpid(struct pt_regs *ctx) { bump(SLOT_URETPROBE); return 0; }

SEC("perf_event")
int on_cpu_clock(void *ctx) { bump_key(SLOT_PERF_EVENT); return 0; }

char LICENSE[] SEC("license") = "Dual MIT/GPL";
