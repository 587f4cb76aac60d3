#!/usr/bin/env bash
# The kernel matrix: runs the project's test executables on Debian's 5.10, 6.1 and 6.12 cloud kernels under QEMU
# (TCG: KVM is not usable on the CI machines) and on the host, and prints one line per kernel:
#
#   host 6.18.44-fc-v782: 897 passed, 0 failed, 0 skipped
#   kernel 5.10.0-32-cloud-amd64: 897 passed, 0 failed, 0 skipped (boot 4s, tests 190s, wall 205s)
#   ...
#
#   tools/matrix/run.sh [KERNEL...]     KERNEL: bullseye|bookworm|trixie or 5.10|6.1|6.12 (default: all three)
#
# Environment:
#   MATRIX_TESTS        test projects under tests/ to publish and run (default: Ebpf.Linux.Tests)
#   MATRIX_TEST_ARGS    extra xunit v3 arguments of every test executable, shell-quoted, e.g.
#                       MATRIX_TEST_ARGS='-trait "Category=Kernel"' or '-class "Ebpf.Linux.Tests.MapTests"'
#   MATRIX_TIMEOUT      wall-clock seconds per kernel, boot to power-off (default 600); the guest gives its tests
#                       this minus 45 s, so a hanging test still leaves the others' results
#   MATRIX_HOST         1 (default) = also run the published executables on the host (the reference line)
#   MATRIX_SMOKE        1 (default) = bpftool feature probe + kprobe check in each guest (~5 s)
#   MATRIX_SMP, MATRIX_MEM   guest CPUs and MiB (default 2 and 3072)
#   MATRIX_ACCEL        QEMU accelerator (default tcg,thread=single: see run_kernel)
#   MATRIX_JOBS         kernels booted at once (default: one per host CPU a guest uses, at most all of them)
#   MATRIX_PUBLISH      0 = reuse the executables already in artifacts/matrix/publish/
#   MATRIX_VERBOSE      1 = stream each guest's console while it runs
#   MATRIX_GUEST_SHELL  1 = interactive: the console is this terminal and the guest leaves a shell after the tests
#                       (one kernel at a time, no timeout)
#   MATRIX_R2R          true (default) = publish ReadyToRun (the guests JIT ~10x slower under TCG)
#   MATRIX_SEED         1 (default) = publish the ebpf CLI and run tools/matrix/seed.sh in each guest
#   MATRIX_CONTROL      1 (default) = the wrong-probe control run in each guest (tcx forced present)
#   MATRIX_APPEND       more kernel command line, e.g. "nosoftlockup"
#   MATRIX_CACHE        kernel cache (default /var/cache/ebpf-net-matrix), see fetch-kernels.sh
#
# Output in artifacts/matrix/: publish/NAME/ (the executables), host/ and KVER/ per kernel holding the xunit XML
# (NAME.xml), the test logs (NAME.log), console.log, smoke.txt, feature-probe.txt, status and qemu.cmd (the exact
# command, to boot the guest by hand); summary.txt holds the printed lines, totals.txt the guests' sum as
# "N passed, N failed, N skipped" (a kernel that timed out or did not boot adds one failure).
# Exit code: 0 when every kernel booted, ran every executable and no test failed; 1 otherwise.
set -Eeuo pipefail
# A step that fails (set -e) says where, also inside the kernels' subshells (-E: functions and subshells inherit it).
trap 'echo "matrix: line $LINENO failed (exit $?): $BASH_COMMAND" >&2' ERR
export PATH="$PATH:/usr/sbin:/sbin"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
cd "$REPO"

OUT="$REPO/artifacts/matrix"
TESTS=(${MATRIX_TESTS:-Ebpf.Linux.Tests})
TIMEOUT="${MATRIX_TIMEOUT:-600}"
SMP="${MATRIX_SMP:-2}"
ACCEL="${MATRIX_ACCEL:-tcg,thread=single}"
MEM="${MATRIX_MEM:-3072}"
export MATRIX_CACHE="${MATRIX_CACHE:-/var/cache/ebpf-net-matrix}"
export MATRIX_TEST_ARGS="${MATRIX_TEST_ARGS:-}" MATRIX_SMOKE="${MATRIX_SMOKE:-1}"
export MATRIX_GUEST_SHELL="${MATRIX_GUEST_SHELL:-0}"
export MATRIX_GUEST_BUDGET=$((TIMEOUT > 90 ? TIMEOUT - 45 : 45))

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { echo "matrix: $*" >&2; exit 1; }

# --- cleanup: no QEMU and no temporary directory outlives the script ---------------------------------------------
QEMU_PID=""
TMP="$(mktemp -d /tmp/ebpf-net-matrix.XXXXXX)"
kill_qemu() {
    if [[ -n "$QEMU_PID" ]] && kill -0 "$QEMU_PID" 2>/dev/null; then
        kill "$QEMU_PID" 2>/dev/null || true
        sleep 1
        kill -9 "$QEMU_PID" 2>/dev/null || true
    fi
}
cleanup() {
    kill_qemu
    local job
    for job in $(jobs -p); do kill "$job" 2>/dev/null || true; done   # kernels booting in parallel (each kills its QEMU)
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- kernels: names -> suites ---------------------------------------------------------------------------------
SUITES=()
for k in "${@:-bullseye bookworm trixie}"; do
    for k1 in $k; do
        case "$k1" in
            5.10|bullseye) SUITES+=(bullseye) ;;
            6.1|bookworm) SUITES+=(bookworm) ;;
            6.12|trixie) SUITES+=(trixie) ;;
            *) die "unknown kernel $k1 (bullseye|bookworm|trixie or 5.10|6.1|6.12)" ;;
        esac
    done
done

# --- set-up: QEMU, busybox-static, cpio from the machine's apt, only when missing -----------------------------
setup() {
    local -a need=()
    command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
    { command -v busybox >/dev/null && file -L "$(command -v busybox)" 2>/dev/null | grep static >/dev/null; } \
        || [[ -x /bin/busybox && ! -x /usr/bin/file ]] || need+=(busybox-static)
    command -v cpio >/dev/null || need+=(cpio)
    command -v xz >/dev/null || need+=(xz-utils)
    command -v dpkg-deb >/dev/null || need+=(dpkg)
    if ((${#need[@]})); then
        [[ $EUID -eq 0 ]] || die "missing packages ${need[*]}: run as root (or install them) first"
        log "installing ${need[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
            || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
    fi
    command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is required"
}

# --- publish: each test project as a self-contained single-file executable ------------------------------------
# xunit v3 needs its test assembly as a file on disk (Assembly.Location; an in-bundle assembly has none, and the
# runner stops with "assembly not found:"), so the bundle is published with IncludeAllContentForSelfExtract: it
# unpacks itself into DOTNET_BUNDLE_EXTRACT_BASE_DIR on first start (a tmpfs in the guest).
publish() {
    local name
    for name in "${TESTS[@]}"; do
        [[ -d "tests/$name" ]] || die "no test project tests/$name"
        if [[ "${MATRIX_PUBLISH:-1}" == 0 && -x "$OUT/publish/$name/$name" ]]; then continue; fi
        log "publishing $name (linux-x64, self-contained, single file)"
        rm -rf "$OUT/publish/$name"
        # ReadyToRun: the guests run under TCG about 10x slower than the host, and JIT time dominates short tests.
        dotnet publish "tests/$name" -r linux-x64 --self-contained -p:PublishSingleFile=true \
            -p:IncludeAllContentForSelfExtract=true -p:PublishReadyToRun="${MATRIX_R2R:-true}" \
            -c Release -o "$OUT/publish/$name" -nologo -clp:ErrorsOnly -v:quiet
    done
    if [[ "${MATRIX_SEED:-1}" == 1 ]]; then
        if [[ "${MATRIX_PUBLISH:-1}" != 0 || ! -x "$OUT/publish/ebpf/Ebpf.Cli" ]]; then
            log "publishing the ebpf CLI (linux-x64, self-contained, single file) for the seed workflow"
            rm -rf "$OUT/publish/ebpf"
            dotnet publish src/Ebpf.Cli -r linux-x64 --self-contained -p:PublishSingleFile=true \
                -p:IncludeAllContentForSelfExtract=true -p:PublishReadyToRun="${MATRIX_R2R:-true}" \
                -c Release -o "$OUT/publish/ebpf" -nologo -clp:ErrorsOnly -v:quiet
        fi
        export MATRIX_CLI="$OUT/publish/ebpf/Ebpf.Cli"   # installed as /usr/sbin/ebpf in the guest
    fi
}

# The features x kernels table (docs/COMPATIBILITY.md#features-by-kernel) from each run's features.tsv.
feature_table() {
    local -a dirs=() heads=()
    local d
    [[ -f "$OUT/host/features.tsv" ]] && { dirs+=("$OUT/host"); heads+=("$(uname -r | cut -d. -f1,2) (host)"); }
    for d in "$OUT"/*/; do
        d="${d%/}"
        [[ -f "$d/features.tsv" && "$d" != "$OUT/host" ]] || continue
        dirs+=("$d"); heads+=("$(basename "$d" | cut -d. -f1,2)")
    done
    ((${#dirs[@]})) || return 0
    {
        printf '| feature | since |'; printf ' %s |' "${heads[@]}"; echo
        printf '|---|---|'; printf -- '---|%.0s' "${heads[@]}"; echo
        local feature since
        while IFS=$'\t' read -r feature since _; do
            printf '| %s | %s |' "$feature" "$since"
            for d in "${dirs[@]}"; do
                printf ' %s |' "$(awk -F'\t' -v f="$feature" '$1 == f { print $3 }' "$d/features.tsv")"
            done
            echo
        done <"${dirs[0]}/features.tsv"
    } >"$OUT/features.md"
    log "features x kernels: artifacts/matrix/features.md"
    cat "$OUT/features.md" >&2
}

# --- counting: the xunit v3 XML's <assembly total= passed= failed= skipped= not-run= errors=> -----------------
# Prints "passed failed skipped" summed over the given files.
count_xml() {
    local p=0 f=0 s=0 file attrs
    for file in "$@"; do
        [[ -f "$file" ]] || continue
        while read -r attrs; do
            a() { grep -oE " $1=\"[0-9]+\"" <<<"$attrs" | grep -oE '[0-9]+' || echo 0; }
            p=$((p + $(a passed))); f=$((f + $(a failed) + $(a errors))); s=$((s + $(a skipped)))
        done < <(grep -oE '<assembly [^>]*>' "$file" || true)
    done
    echo "$p $f $s"
}

SUMMARY=()
RC=0
GUEST_P=0 GUEST_F=0 GUEST_S=0   # summed over the kernels (not the host) -> artifacts/matrix/totals.txt
report() {   # label dir problem...
    local label="$1" dir="$2"; shift 2
    local -a xmls=() problems=("$@")
    local name
    for name in "${TESTS[@]}"; do
        if [[ -f "$dir/$name.xml" ]]; then xmls+=("$dir/$name.xml")
        else problems+=("$name: no results"); fi
    done
    read -r p f s < <(count_xml "${xmls[@]}")
    local line="$label: $p passed, $f failed, $s skipped"
    [[ -n "${EXTRA:-}" ]] && line+=" ($EXTRA)"
    ((${#problems[@]})) && line+=" -- ${problems[*]}"
    ((f == 0 && ${#problems[@]} == 0)) || RC=1
    if [[ "$label" == kernel* ]]; then
        # A kernel that timed out, did not boot or lost an executable counts as one more failure.
        GUEST_P=$((GUEST_P + p)); GUEST_F=$((GUEST_F + f + (${#problems[@]} ? 1 : 0))); GUEST_S=$((GUEST_S + s))
    fi
    SUMMARY+=("$line")
    echo "$line"
}

run_host() {
    local dir="$OUT/host" name code
    rm -rf "$dir"; mkdir -p "$dir"
    local -a args=() problems=()
    eval "args=($MATRIX_TEST_ARGS)"
    for name in "${TESTS[@]}"; do
        log "host: $name"
        code=0
        EBPF_NET_FEATURE_TABLE="$dir/features.tsv" \
        DOTNET_BUNDLE_EXTRACT_BASE_DIR="$TMP/bundle" "$OUT/publish/$name/$name" -noColor -xml "$dir/$name.xml" \
            -jUnit "$dir/$name.junit.xml" -trx "$dir/$name.trx" "${args[@]}" \
            >"$dir/$name.log" 2>&1 || code=$?
        grep -E '^\s+\S+\s+Total:' "$dir/$name.log" >&2 || true
        ((code == 0)) || problems+=("$name exited $code")
    done
    EXTRA="" report "host $(uname -r)" "$dir" "${problems[@]}"
}

# Boots one kernel; its results land in $OUT/KVER/.
run_kernel() {
    local suite="$1"
    local KVER VMLINUZ MODDIR
    # shellcheck source=/dev/null
    source "$MATRIX_CACHE/kernels/$suite/kernel.env"
    local dir="$OUT/$KVER"
    rm -rf "$dir"; mkdir -p "$dir"
    local initrd="$TMP/$suite.cpio"
    local -a exes=()
    local name
    for name in "${TESTS[@]}"; do exes+=("$OUT/publish/$name/$name"); done
    log "kernel $KVER ($suite): building the initramfs"
    "$HERE/build-initramfs.sh" "$MATRIX_CACHE/kernels/$suite/kernel.env" "$initrd" "${exes[@]}"

    # loglevel=5: "quiet" alone hides the backtrace of a soft lockup or a WARN (KERN_WARNING), which names the
    # kernel function a hanging test is stuck in. MATRIX_APPEND adds to the kernel command line.
    # lsm=...,bpf: the BPF LSM active (Debian's 5.10 leaves it out of the default list), so the lsm tests run.
    # no_timer_check: under TCG on a loaded host the kernel's IO-APIC timer check can fail, and 5.10 then panics
    # ("IO-APIC + timer doesn't work").
    # thread=single: TCG runs the vCPUs round-robin in one host thread. With a thread per vCPU (MTTCG), a vCPU can
    # go on executing code another vCPU has just live-patched (text_poke_bp): 6.12 then oopses on a stale int3 in
    # bpf_dispatcher_xdp_func whenever an XDP program is attached while another CPU runs XDP. One thread keeps
    # cross-modifying code exact, and leaves the host's other CPUs to the other kernels (MATRIX_JOBS).
    local -a qemu=(qemu-system-x86_64 -accel "$ACCEL" -cpu max -smp "$SMP" -m "$MEM" -nographic -no-reboot -nic none
        -kernel "$VMLINUZ" -initrd "$initrd" -append "console=ttyS0 panic=-1 quiet loglevel=5 no_timer_check lsm=lockdown,yama,apparmor,bpf ${MATRIX_APPEND:-}"
        -device virtio-serial -chardev "file,id=res,path=$dir/results.tar"
        -device virtserialport,chardev=res,name=results)
    printf '%q ' "${qemu[@]}" >"$dir/qemu.cmd"; echo >>"$dir/qemu.cmd"

    if [[ "$MATRIX_GUEST_SHELL" == 1 ]]; then
        log "kernel $KVER: interactive (Ctrl-A X quits QEMU)"
        "${qemu[@]}" || true
        return 0
    fi

    log "kernel $KVER: booting (at most ${TIMEOUT}s)"
    local start end code=0
    start=$(date +%s)
    if [[ "${MATRIX_VERBOSE:-0}" == 1 ]]; then
        "${qemu[@]}" </dev/null > >(tee "$dir/console.log" >&2) 2>&1 &
    else
        "${qemu[@]}" </dev/null >"$dir/console.log" 2>&1 &
    fi
    QEMU_PID=$!
    # Wait for power-off or the deadline.
    while kill -0 "$QEMU_PID" 2>/dev/null; do
        if (($(date +%s) - start >= TIMEOUT)); then
            kill "$QEMU_PID" 2>/dev/null || true; sleep 1; kill -9 "$QEMU_PID" 2>/dev/null || true
            code=124; break
        fi
        sleep 1
    done
    if ((code == 0)); then wait "$QEMU_PID" || code=$?; else wait "$QEMU_PID" 2>/dev/null || true; fi
    QEMU_PID=""
    end=$(date +%s)

    local -a problems=()
    ((code != 124)) || problems+=("timed out after ${TIMEOUT}s$(grep -m1 -oE 'soft lockup.*|self-detected stall.*|Kernel panic.*' "$dir/console.log" 2>/dev/null | sed 's/^/: /' || true)")
    if ((code != 0 && code != 124)); then problems+=("qemu exited $code"); fi
    # xunit's -longRunning notices name the tests that were still running when the guest hung.
    ((code != 124)) || grep -a 'Long Running Test' "$dir/console.log" 2>/dev/null | tr -d '\r' | tail -5 >"$dir/longrunning.txt" || true
    # The results: the tar stream from the virtio-serial port, or the console fallback (base64 between markers).
    if [[ ! -s "$dir/results.tar" ]] && grep -q '^@@matrix-results-end' "$dir/console.log"; then
        sed -n '/^@@matrix-results-begin/,/^@@matrix-results-end/p' "$dir/console.log" | sed '1d;$d' | tr -d '\r' \
            | base64 -d | gunzip >"$dir/results.tar" 2>/dev/null || true
    fi
    if [[ -s "$dir/results.tar" ]] && tar -tf "$dir/results.tar" >/dev/null 2>&1; then
        tar -C "$dir" -xf "$dir/results.tar"
    else
        problems+=("no results from the guest")
    fi
    [[ -f "$dir/status" ]] || problems+=("did not boot to init")
    local boot="?" tests=0 line
    if [[ -f "$dir/status" ]]; then
        boot="$(sed -n 's/^boot_seconds=//p' "$dir/status")"
        while read -r line; do
            local tname trc tsec
            tname="$(sed -n 's/.*test=\([^ ]*\).*/\1/p' <<<"$line")"
            trc="$(sed -n 's/.* rc=\([^ ]*\).*/\1/p' <<<"$line")"
            tsec="$(sed -n 's/.* seconds=\([0-9]*\).*/\1/p' <<<"$line")"
            tests=$((tests + ${tsec:-0}))
            [[ "$trc" == 0 ]] || problems+=("$tname exited $trc")
        done < <(grep '^test=' "$dir/status" || true)
    fi
    # The wrong-probe control: tcx forced present must fail the tcx tests exactly where the kernel lacks tcx.
    local control="" rc_ctl has_tcx
    rc_ctl="$(sed -n 's/^control rc=\([0-9]*\).*/\1/p' "$dir/status" 2>/dev/null || true)"
    has_tcx="$(awk -F'\t' '$1 == "BPF_LINK_TYPE_TCX" { print $3 }' "$dir/features.tsv" 2>/dev/null || true)"
    if [[ -n "$rc_ctl" ]]; then
        if [[ "$has_tcx" == no && "$rc_ctl" != 0 ]]; then control="control: tcx missing, forced present -> tests failed, as they must"
        elif [[ "$has_tcx" == yes && "$rc_ctl" == 0 ]]; then control="control: tcx present -> tests passed"
        else problems+=("wrong-probe control: tcx=${has_tcx:-?} but the forced run exited $rc_ctl (see control.log)"); fi
    fi
    local seed="" rc_seed
    rc_seed="$(sed -n 's/^seed rc=\([0-9]*\).*/\1/p' "$dir/status" 2>/dev/null || true)"
    if [[ -n "$rc_seed" ]]; then
        if [[ "$rc_seed" == 0 ]]; then seed="seed workflow passed"
        else problems+=("seed workflow failed (rc $rc_seed): $(grep -m1 'seed FAILED' "$dir/seed.log" 2>/dev/null || true)"); fi
    fi
    # For the parent (report_kernel): the line's extra text, the problems, and the details for the log.
    echo "boot ${boot%.*}s, tests ${tests}s, wall $((end - start))s${control:+; $control}${seed:+; $seed}" >"$dir/report.extra"
    printf '%s\n' "${problems[@]}" >"$dir/report.problems"
    {
        # Name the failed tests (not the control run's, which must fail), so the CI log says what broke.
        local logf
        for logf in "$dir"/*.log; do
            [[ "$logf" == */control.log || "$logf" == */console.log ]] || grep -hE '^\s+\S.*\[FAIL\]$' "$logf" 2>/dev/null || true
        done | sed -n '1,20s/^ */  FAIL: /p'
        [[ -f "$dir/longrunning.txt" ]] && sed 's/^/  still running: /' "$dir/longrunning.txt"
        if [[ -f "$dir/smoke.txt" ]]; then
            sed -n 's/^\(bpftool_feature_probe_exit\|kprobe___x64_sys_getppid\|btf_vmlinux\|smoke_seconds\): /\1=/p' "$dir/smoke.txt" \
                | tr '\n' ' ' | sed 's/^/  smoke: /; s/ $/\n/'
        fi
    } >"$dir/report.details"
}

# Prints the line of one kernel booted by run_kernel and adds it to the totals.
report_kernel() {
    local suite="$1" KVER VMLINUZ MODDIR
    # shellcheck source=/dev/null
    source "$MATRIX_CACHE/kernels/$suite/kernel.env"
    local dir="$OUT/$KVER"
    local -a problems=()
    [[ -f "$dir/report.problems" ]] && mapfile -t problems < <(grep -v '^$' "$dir/report.problems" || true)
    [[ -f "$dir/report.extra" ]] || problems+=("the kernel's run ended without a report")
    EXTRA="$(cat "$dir/report.extra" 2>/dev/null || true)" report "kernel $KVER" "$dir" "${problems[@]}"
    cat "$dir/report.details" >&2 2>/dev/null || true
}

mkdir -p "$OUT"
setup
publish
log "kernels: ${SUITES[*]}"
"$HERE/fetch-kernels.sh" "${SUITES[@]}" >/dev/null
[[ "${MATRIX_HOST:-1}" == 1 && "$MATRIX_GUEST_SHELL" != 1 ]] && run_host
# A guest keeps one host CPU busy (thread=single; MATRIX_SMP with MTTCG); guests starved of CPU see soft lockups and
# run long, so only as many boot at once as the host has CPUs for.
if [[ "$ACCEL" == *thread=single* ]]; then per_guest=1; else per_guest="$SMP"; fi
JOBS="${MATRIX_JOBS:-$(( $(nproc) / per_guest ))}"
((JOBS >= 1)) || JOBS=1
((JOBS <= ${#SUITES[@]})) || JOBS=${#SUITES[@]}
[[ "$MATRIX_GUEST_SHELL" == 1 ]] && JOBS=1
if ((JOBS == 1)); then
    for suite in "${SUITES[@]}"; do ( run_kernel "$suite" ); report_kernel "$suite"; done
else
    log "booting up to $JOBS kernels at once ($(nproc) host CPUs, $per_guest per guest)"
    running=0
    for suite in "${SUITES[@]}"; do
        if ((running >= JOBS)); then wait -n || true; running=$((running - 1)); fi
        # Each kernel in its own subshell: its QEMU_PID and its trap, its log lines prefixed with its suite.
        ( trap 'kill_qemu; exit 143' TERM INT; trap kill_qemu EXIT; run_kernel "$suite" 2> >(sed -u "s/^/[$suite] /" >&2) ) &
        running=$((running + 1))
    done
    wait || true
    for suite in "${SUITES[@]}"; do report_kernel "$suite"; done
fi

feature_table
printf '%s\n' "${SUMMARY[@]}" >"$OUT/summary.txt"
echo "$GUEST_P passed, $GUEST_F failed, $GUEST_S skipped" >"$OUT/totals.txt"
log "kernel matrix (artifacts/matrix/summary.txt)"
printf '%s\n' "${SUMMARY[@]}"
exit "$RC"
