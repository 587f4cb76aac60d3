#!/bin/sh
# PID 1 of a kernel-matrix guest (busybox ash), copied to /init by build-initramfs.sh.
#
# Mounts what the tests need, loads the kernel modules listed in /etc/matrix/modules (dependencies first), runs
# the smoke check and every test executable under /ebpf/tests/NAME/NAME with
#   -noColor -xml /results/NAME.xml -jUnit /results/NAME.junit.xml -trx /results/NAME.trx $MATRIX_TEST_ARGS
# then ships /results as a tar stream through the virtio-serial port named "results" and powers off.
# Everything it prints goes to the serial console (the host's console.log); lines meant for the host start "@@matrix".
#
# Configuration comes from /etc/matrix/config (written by build-initramfs.sh): MATRIX_TEST_ARGS, MATRIX_SMOKE,
# MATRIX_GUEST_BUDGET (seconds the tests may take in all), MATRIX_GUEST_SHELL (1 = a shell on the console instead
# of powering off, for debugging).
#
# Note: busybox ash runs its own applets before searching PATH, so the real iproute2/bpftool are called by full
# path here; the test executables (.NET Process.Start) search PATH, where /usr/sbin comes first.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TMPDIR=/tmp LANG=C
# The .NET single-file bundle extracts itself (IncludeAllContentForSelfExtract) into a tmpfs.
export DOTNET_BUNDLE_EXTRACT_BASE_DIR=/tmp/dotnet-bundle DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 EBPF_NET_SHARED=/ebpf/shared EBPF_NET_MATRIX=1
# FeatureMatrixTests writes the features x release table here; the host collects it into features.md.
export EBPF_NET_FEATURE_TABLE=/results/features.tsv

. /etc/matrix/config

say() { echo "@@matrix: $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /tmp /results /run
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t bpf bpf /sys/fs/bpf
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null   # /sys/kernel/security/lsm: is the BPF LSM active
# Before 5.11 BPF maps are charged to RLIMIT_MEMLOCK.
ulimit -l unlimited
/usr/sbin/ip link set lo up
hostname matrix

say "kernel $(uname -r) init at $(uptime_s)s"
echo "kernel=$(uname -r)" >/results/status
echo "boot_seconds=$(uptime_s)" >>/results/status

# Modules: one path a line under /lib/modules, dependencies before their users.
while read -r m; do
    [ -n "$m" ] || continue
    insmod "/lib/modules/$m" || say "insmod $m failed"
done </etc/matrix/modules

# The results port: the virtio-serial port whose name is "results" (usually /dev/vport0p1 or /dev/vport1p1).
port=""
for d in /sys/class/virtio-ports/*; do
    [ "$(cat "$d/name" 2>/dev/null)" = results ] && port="/dev/${d##*/}"
done
say "results port: ${port:-none (falling back to the console)}"
echo "results_port=${port:-none}" >>/results/status

if [ "${MATRIX_SMOKE:-1}" = 1 ]; then
    # Smoke check: the guest's bpftool works and the kernel's tracing features, recorded in /results/smoke.txt.
    t0=$(date +%s)
    {
        echo "kernel: $(uname -r)"
        /usr/sbin/bpftool feature probe kernel >/results/feature-probe.txt 2>&1
        echo "bpftool_feature_probe_exit: $?"
        /usr/sbin/bpftool version 2>&1 | head -1 | sed 's/^/bpftool: /'
        echo "available_filter_functions: $(wc -l </sys/kernel/tracing/available_filter_functions 2>&1)"
        echo "getppid_filter_functions: $(grep getppid /sys/kernel/tracing/available_filter_functions | tr '\n' ' ')"
        if grep -qE '^__x64_sys_getppid( |$)' /sys/kernel/tracing/available_filter_functions 2>/dev/null; then
            echo "kprobe_target___x64_sys_getppid: yes"; else echo "kprobe_target___x64_sys_getppid: no"; fi
        grep -q ' __x64_sys_getppid$' /proc/kallsyms && echo "kallsyms___x64_sys_getppid: yes" || echo "kallsyms___x64_sys_getppid: no"
        # A kprobe on the syscall, created and removed through tracefs: the kernel really has kprobes.
        if echo 'p:matrix/getppid __x64_sys_getppid' >>/sys/kernel/tracing/kprobe_events 2>/dev/null; then
            echo "kprobe___x64_sys_getppid: yes"
            echo '-:matrix/getppid' >>/sys/kernel/tracing/kprobe_events
        else echo "kprobe___x64_sys_getppid: no"; fi
        [ -e /sys/kernel/btf/vmlinux ] && echo "btf_vmlinux: yes" || echo "btf_vmlinux: no"
        # veth and clsact, what the TC/XDP tests build on (removed again).
        if /usr/sbin/ip link add matrix0 type veth peer name matrix1 2>/dev/null; then
            echo "veth: yes"
            /usr/sbin/tc qdisc add dev matrix0 clsact 2>/dev/null && echo "clsact: yes" || echo "clsact: no"
            /usr/sbin/ip link del matrix0
        else echo "veth: no"; fi
        grep -E "program_type (kprobe|tracing|xdp|sched_cls)|map_type ringbuf" /results/feature-probe.txt | sed 's/^/probe: /'
        grep -E "CONFIG_(KPROBES|FTRACE_SYSCALLS|DYNAMIC_FTRACE_WITH_DIRECT_CALLS|BPF_JIT|DEBUG_INFO_BTF)[= ]" /results/feature-probe.txt | sed 's/^/config: /'
        echo "smoke_seconds: $(($(date +%s) - t0))"
    } >/results/smoke.txt 2>&1
    sed 's/^/@@matrix: smoke: /' /results/smoke.txt
fi

# The tests. A per-executable timeout keeps the results of the others when one hangs.
eval "set -- $MATRIX_TEST_ARGS"
# Before 6.2 the XDP dispatcher was rewritten without waiting for CPUs still running the old image (fixed upstream
# by "bpf: Synchronize dispatcher update with bpf_dispatcher_xdp_func"): an XDP attach or BPF_PROG_TEST_RUN in one
# test while another runs XDP programs can leave a CPU looping in bpf_dispatcher_xdp_func (seen on 5.10 as soft
# lockups with both vCPUs there). Those kernels run the test classes one at a time.
case "$(uname -r)" in
    [1-5].*|6.[01].*) set -- -parallel none "$@"; say "kernel before 6.2 (unsynchronized XDP dispatcher): tests run one class at a time" ;;
esac
deadline=$(($(date +%s) + ${MATRIX_GUEST_BUDGET:-900}))
for exe in /ebpf/tests/*/*; do
    [ -x "$exe" ] && [ -f "$exe" ] || continue
    name="${exe##*/}"
    left=$((deadline - $(date +%s)))
    [ "$left" -gt 10 ] || { say "$name not run: out of time"; echo "test=$name rc=timeout seconds=0" >>/results/status; continue; }
    say "running $name $* (at most ${left}s)"
    t0=$(date +%s)
    cd "${exe%/*}"
    # xunit's output goes to the console as it runs and to NAME.log; -longRunning names every test still running
    # after 60 s, so a hang says where it is.
    { timeout -s KILL "$left" "$exe" -noColor -longRunning 60 -xml "/results/$name.xml" \
        -jUnit "/results/$name.junit.xml" -trx "/results/$name.trx" "$@" 2>&1; echo $? >/tmp/rc; } | tee "/results/$name.log"
    cd /
    rc=$(cat /tmp/rc)
    say "$name exited $rc after $(($(date +%s) - t0))s"
    echo "test=$name rc=$rc seconds=$(($(date +%s) - t0))" >>/results/status
done
# The wrong-probe control: with tcx forced "present", the tcx tests must fail on a kernel without tcx (before 6.6)
# and still pass on one with it. The host judges the exit code against the kernel's probed feature table.
ctl=/ebpf/tests/Ebpf.Linux.Tests/Ebpf.Linux.Tests
if [ "${MATRIX_CONTROL:-1}" = 1 ] && [ -x "$ctl" ]; then
    left=$((deadline - $(date +%s)))
    if [ "$left" -gt 20 ]; then
        say "control: Ebpf.Linux.Tests TcxLinkTests with EBPF_NET_FORCE_FEATURES=BPF_LINK_TYPE_TCX=present"
        cd "${ctl%/*}"
        EBPF_NET_FORCE_FEATURES=BPF_LINK_TYPE_TCX=present EBPF_NET_FEATURE_TABLE= timeout -s KILL "$left" "$ctl" -noColor \
            -class Ebpf.Linux.Tests.Links.TcxLinkTests >/results/control.log 2>&1
        echo "control rc=$?" >>/results/status
        cd /
    fi
fi
if [ -x /ebpf/seed.sh ] && [ -x /usr/sbin/ebpf ]; then
    say "seed workflow with the ebpf CLI"
    t0=$(date +%s)
    timeout -s KILL 240 sh /ebpf/seed.sh >/results/seed.log 2>&1
    echo "seed rc=$? seconds=$(($(date +%s) - t0))" >>/results/status
    tail -5 /results/seed.log | sed 's/^/@@matrix: seed: /'
fi
echo "end_seconds=$(uptime_s)" >>/results/status

# Ship the results. The tar stream is complete when the host's tar can list it to the end (and it holds status).
if [ -n "$port" ]; then
    tar -C /results -cf - . >"$port"
    sleep 1
else
    echo "@@matrix-results-begin"
    tar -C /results -cf - . | gzip | base64
    echo "@@matrix-results-end"
fi
say "done"

if [ "${MATRIX_GUEST_SHELL:-0}" = 1 ]; then
    say "MATRIX_GUEST_SHELL=1: a shell on the console; 'poweroff -f' ends the guest"
    setsid cttyhack sh
fi
sync
poweroff -f
echo o >/proc/sysrq-trigger
sleep 10
