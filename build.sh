#!/usr/bin/env bash
# Ebpf.Net build entry point.
#   ./build.sh demo    set up the machine if needed, build, run the main demo
#   ./build.sh test    set up the machine if needed, build, run every test project, then the kernel matrix
#                      (MATRIX=0 skips it); prints "N passed, N failed, N skipped" summed over the host and the kernels
#   ./build.sh setup   only install what is missing (apt) and mount bpffs/tracefs
#   ./build.sh build   only build
#   ./build.sh matrix  the kernel tests on Debian's 5.10/6.1/6.12 kernels under QEMU (tools/matrix/run.sh, docs/MATRIX.md)
# Set-up is idempotent: when everything is present it installs nothing and takes well under a second.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PATH="$PATH:/usr/sbin:/sbin"
CONFIG="${CONFIG:-Release}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

setup() {
    # command-or-file -> Debian package that provides it
    local -a need=()
    local pairs=(
        "clang:clang" "llvm-objdump:llvm" "llvm-readelf:llvm" "bpftool:bpftool" "ip:iproute2" "ethtool:ethtool"
        "/usr/include/bpf/bpf_helpers.h:libbpf-dev" "tcpdump:tcpdump"
    )
    for pair in "${pairs[@]}"; do
        local what="${pair%%:*}" pkg="${pair##*:}"
        if [[ "$what" == /* ]]; then [[ -e "$what" ]] || need+=("$pkg")
        else command -v "$what" >/dev/null 2>&1 || need+=("$pkg"); fi
    done
    if ((${#need[@]})); then
        [[ $EUID -eq 0 ]] || { echo "missing packages ${need[*]}: run as root (or install them) first" >&2; exit 1; }
        log "installing ${need[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    fi
    command -v dotnet >/dev/null 2>&1 || { echo "the .NET SDK (dotnet) is required: https://dot.net" >&2; exit 1; }
    if [[ $EUID -eq 0 ]]; then
        mountpoint -q /sys/fs/bpf 2>/dev/null || mount -t bpf bpf /sys/fs/bpf
        if [[ -d /sys/kernel/tracing ]] && [[ ! -e /sys/kernel/tracing/trace_pipe ]]; then
            mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
        fi
    fi
}

build() {
    log "building (${CONFIG})"
    dotnet build Ebpf.slnx -c "$CONFIG" -nologo -clp:ErrorsOnly -v:quiet
}

ebpf() { dotnet "artifacts/bin/Ebpf.Cli/${CONFIG,,}/Ebpf.Cli.dll" "$@"; }

demo() {
    local obj="artifacts/bpf/xdp_drop_udp53.o"
    log "bpf/xdp_drop_udp53.c compiled by clang into $obj; its programs and maps, relocated as libbpf loads them:"
    ebpf object show "$obj"
    log "its disassembly (as llvm-objdump prints it), maps and helpers annotated:"
    ebpf disasm --annotate "$obj"
}

run_tests() {
    local results=artifacts/test-results
    rm -rf "$results" artifacts/matrix/host; mkdir -p "$results" artifacts/matrix/host
    local passed=0 failed=0 skipped=0 rc=0
    for proj in tests/*.Tests; do
        local name exe
        name="$(basename "$proj")"
        exe="artifacts/bin/$name/${CONFIG,,}/$name"
        [[ -x "$exe" ]] || { echo "missing test executable $exe" >&2; failed=$((failed + 1)); rc=1; continue; }
        log "testing $name"
        local out="$results/$name.log" code=0
        # FeatureMatrixTests writes the host's column of the features x kernels table (artifacts/matrix/features.md).
        EBPF_NET_FEATURE_TABLE="$PWD/artifacts/matrix/host/features.tsv" \
        "$exe" -noColor -xml "$results/$name.xml" -jUnit "$results/$name.junit.xml" -trx "$results/$name.trx" "$@" >"$out" 2>&1 || code=$?
        # xunit v3 summary: "   Name  Total: 23, Errors: 0, Failed: 0, Skipped: 0, Not Run: 0, Time: 0.190s"
        local line total errors fails skips notrun
        line="$(grep -E '^\s+\S+\s+Total: [0-9]+' "$out" | tail -1 || true)"
        if [[ -z "$line" ]]; then
            cat "$out" >&2
            echo "$name: no summary (exit code $code)" >&2
            failed=$((failed + 1)); rc=1; continue
        fi
        field() { grep -oE "$1: [0-9]+" <<<"$line" | grep -oE '[0-9]+' || echo 0; }
        total=$(field Total); errors=$(field Errors); fails=$(field Failed); skips=$(field Skipped); notrun=$(field "Not Run")
        passed=$((passed + total - fails - skips - notrun))
        failed=$((failed + fails + errors))
        skipped=$((skipped + skips))
        if ((fails + errors > 0)) || ((code != 0)); then
            rc=1
            grep -E '\[FAIL\]|^\s+(Assert|System|Ebpf)\.|Exception|Expected|Actual|at .* in ' "$out" | head -200 >&2 || true
            ((fails + errors > 0)) || { echo "$name exited with $code" >&2; failed=$((failed + 1)); }
        fi
        grep -E '^\s+\S+\s+Total:' "$out" >&2
        grep -E '\[SKIP\]' "$out" >&2 || true
    done
    local host_line="$passed passed, $failed failed, $skipped skipped"
    echo "host $(uname -r): $host_line"
    # The kernel matrix: the kernel tests again on Debian's 5.10, 6.1 and 6.12 under QEMU (docs/MATRIX.md); its
    # guests' totals are added to the final line. MATRIX=0 skips it (a quick local run).
    if [[ "${MATRIX:-1}" != 0 ]]; then
        log "kernel matrix (MATRIX=0 skips it)"
        local mrc=0
        MATRIX_HOST=0 tools/matrix/run.sh || mrc=$?
        local totals="artifacts/matrix/totals.txt" mp=0 mf=0 ms=0
        if [[ -f "$totals" ]]; then
            read -r mp _ mf _ ms _ <"$totals"
        fi
        if ((mrc != 0)); then
            rc=1
            ((mf > 0)) || mf=1   # the matrix failed without a failed test (a guest did not boot or timed out)
        fi
        passed=$((passed + mp)); failed=$((failed + mf)); skipped=$((skipped + ms))
    fi
    echo "$passed passed, $failed failed, $skipped skipped"
    return $rc
}

cmd="${1:-demo}"; shift || true
case "$cmd" in
    setup) setup ;;
    build) setup; build ;;
    demo) setup; build; demo ;;
    matrix) setup; tools/matrix/run.sh "$@" ;;
    test)
        setup
        if ! build; then echo "0 passed, 1 failed, 0 skipped"; exit 1; fi
        run_tests "$@" ;;
    *) echo "usage: $0 [demo|test|setup|build|matrix]" >&2; exit 2 ;;
esac
