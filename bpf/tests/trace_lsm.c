// SPDX-License-Identifier: GPL-2.0 OR MIT
// A BPF LSM program (Linux 5.7+, active only with "bpf" in lsm=): counts file opens and allows them all.
#include "trace_counts.h"
#include <bpf/bpf_tracing.h>

SEC("lsm/file_open")
int BPF_PROG(lsm_file_open, struct file *file) { bump(SLOT_LSM); return 0; }

char LICENSE[] SEC("license") = "GPL";
