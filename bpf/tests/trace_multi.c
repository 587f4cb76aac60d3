// SPDX-License-Identifier: GPL-2.0 OR MIT
// Multi-probe links: kprobe.multi (5.18+, needs fprobe) and uprobe.multi (6.6+).
#include "trace_counts.h"

SEC("kprobe.multi/do_sys_openat2")
int kmulti_openat2(struct pt_regs *ctx) { bump(SLOT_KPROBE_MULTI); return 0; }

SEC("uprobe.multi/libc.so.6:getpid")
int umulti_getpid(struct pt_regs *ctx) { bump(SLOT_UPROBE_MULTI); return 0; }

SEC("uretprobe.multi/libc.so.6:getpid")
int urmulti_getpid(struct pt_regs *ctx) { bump(SLOT_URETPROBE_MULTI); return 0; }

char LICENSE[] SEC("license") = "GPL";
