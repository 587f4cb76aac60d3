// SPDX-License-Identifier: GPL-2.0 OR MIT
// Exercises .kconfig externs: LINUX_KERNEL_VERSION and weak CONFIG_* values of every supported type (bool,
// tristate, int, char array), which libbpf lays out in one read-only .kconfig map sorted by alignment, size, name.
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern enum libbpf_tristate CONFIG_NET_SCH_INGRESS __kconfig __weak;
extern int CONFIG_HZ __kconfig __weak;
extern unsigned long long CONFIG_NR_CPUS __kconfig __weak;
extern char CONFIG_DEFAULT_HOSTNAME[8] __kconfig __weak;

__u64 seen[6];

SEC("xdp")
int kconfig_prog(struct xdp_md *ctx)
{
    seen[0] = LINUX_KERNEL_VERSION;
    seen[1] = CONFIG_BPF_SYSCALL;
    seen[2] = CONFIG_NET_SCH_INGRESS;
    seen[3] = CONFIG_HZ;
    seen[4] = CONFIG_NR_CPUS;
    seen[5] = CONFIG_DEFAULT_HOSTNAME[0];
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
