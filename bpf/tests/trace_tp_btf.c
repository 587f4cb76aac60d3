// SPDX-License-Identifier: GPL-2.0 OR MIT
// A BTF-typed raw tracepoint (tp_btf, Linux 5.5+): loaded with attach_btf_id = btf_trace_sys_enter.
#include "trace_counts.h"
#include <bpf/bpf_tracing.h>

SEC("tp_btf/sys_enter")
int BPF_PROG(btf_sys_enter, struct pt_regs *regs, long id) { bump(SLOT_TP_BTF); return 0; }

char LICENSE[] SEC("license") = "GPL";
