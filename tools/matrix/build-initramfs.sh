#!/usr/bin/env bash
# Builds the initramfs of one kernel-matrix guest.
#
#   tools/matrix/build-initramfs.sh KERNEL_ENV OUT.cpio [TEST_EXECUTABLE...]
#
#   KERNEL_ENV        kernel.env written by fetch-kernels.sh (KVER, MODDIR, ...)
#   OUT.cpio          the initramfs to write (cpio newc; gzip-compressed when MATRIX_INITRD_COMPRESS=gzip)
#   TEST_EXECUTABLE   self-contained single-file test executables (dotnet publish output); each goes to
#                     /ebpf/tests/NAME/NAME in the guest and is run by init with -noColor -xml /results/NAME.xml
#
# Environment:
#   MATRIX_TEST_ARGS       extra arguments of every test executable, shell-quoted, e.g. '-trait "Kernel=true"'
#   MATRIX_SMOKE           1 (default) = run the smoke check (bpftool feature probe, kprobes) before the tests
#   MATRIX_GUEST_BUDGET    seconds all test executables may take together (default 900)
#   MATRIX_GUEST_SHELL     1 = leave a shell on the console after the tests instead of powering off
#   MATRIX_MODULES         modules to load (default: virtio_pci virtio_console veth sch_ingress cls_bpf act_bpf);
#                          built-in ones are skipped, dependencies are added from each module's "depends=" field
#   MATRIX_TOOLS           host tools copied in with their libraries (default: bpftool ip tc ethtool bash)
#   MATRIX_BPF_DIR         the project's BPF objects (default artifacts/bpf; include/ is left out) -> /ebpf/bpf
#   MATRIX_CLI             the published ebpf CLI (single file) -> /usr/sbin/ebpf, with seed.sh -> /ebpf/seed.sh
#   MATRIX_CONTROL         1 (default) = the wrong-probe control run (tcx forced present) after the tests
#   MATRIX_INITRD_COMPRESS none (default: QEMU loads it fast and the guest needs no decompression) or gzip
#
# Guest layout: /init (init.sh), busybox-static and its applet links in /bin, the tools in /usr/sbin, the host's
# libc/libstdc++/libgcc_s/... at their host paths, modules in /lib/modules (decompressed), /ebpf/tests/*,
# /ebpf/bpf, /ebpf/shared (../shared/conformance when present), /ebpf/Directory.Build.props (a stub, so the
# tests' RepoPaths finds a repository root), /etc/matrix/{config,modules}.
set -euo pipefail
# Under pipefail a reader that stops early (head, grep -q, awk's exit) SIGPIPEs the writer and fails the pipeline
# (exit 141, seen when two kernels' images were built at once): every reader here reads its input to the end.
export PATH="$PATH:/usr/sbin:/sbin"

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"

(($# >= 2)) || { sed -n '2,12p' "$0" >&2; exit 2; }
KERNEL_ENV="$1"; OUT="$2"; shift 2
TESTS=("$@")

die() { echo "build-initramfs: $*" >&2; exit 1; }
# shellcheck source=/dev/null
source "$KERNEL_ENV"
[[ -d "$MODDIR" ]] || die "no modules directory $MODDIR"

MODULES="${MATRIX_MODULES:-virtio_pci virtio_console veth sch_ingress cls_bpf act_bpf}"
TOOLS="${MATRIX_TOOLS:-bpftool ip tc ethtool bash}"
BPF_DIR="${MATRIX_BPF_DIR:-$REPO/artifacts/bpf}"
BUSYBOX="$(command -v busybox || true)"
[[ -n "$BUSYBOX" ]] || die "busybox (busybox-static) is required"
file -L "$BUSYBOX" 2>/dev/null | grep 'statically linked' >/dev/null || [[ ! -x /usr/bin/file ]] || die "$BUSYBOX is not static: install busybox-static"
command -v cpio >/dev/null || die "cpio is required"

root="$(mktemp -d "${TMPDIR:-/tmp}/matrix-initramfs.XXXXXX")"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib/modules,lib64,etc/matrix,proc,sys,dev,tmp,run,root,results,ebpf/tests,ebpf/bpf,ebpf/shared}

# --- busybox and its applets (not the names of the real tools copied below) -------------------------------------
cp "$BUSYBOX" "$root/bin/busybox"
for applet in $("$BUSYBOX" --list); do
    case " $TOOLS " in *" $applet "*) continue ;; esac
    [[ -e "$root/bin/$applet" ]] || ln -s busybox "$root/bin/$applet"
done

# --- shared libraries: copy a binary's ldd closure at the host paths -----------------------------------------------
copy_libs() {
    local lib
    while read -r lib; do
        [[ -n "$lib" && -e "$lib" ]] || continue
        [[ -e "$root$lib" ]] && continue
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done < <(ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
}

for tool in $TOOLS; do
    path="$(command -v "$tool" 2>/dev/null || true)"
    [[ -n "$path" ]] || { echo "build-initramfs: warning: $tool not found on the host, not in the guest" >&2; continue; }
    cp -L "$path" "$root/usr/sbin/$tool"
    copy_libs "$path"
done
# Loaded with dlopen, so not in any ldd closure: .NET's System.Security.Cryptography.Native needs OpenSSL
# (xunit hashes test IDs with SHA-256; without libssl the runner aborts with "No usable version of libssl").
for lib in libssl.so.3 libcrypto.so.3 libgcc_s.so.1 libstdc++.so.6; do
    path="$(ldconfig -p | awk -v l="$lib" '!found && $1 == l && /x86-64/ {print $NF; found = 1}')"
    [[ -n "$path" ]] || { echo "build-initramfs: warning: $lib not found on the host" >&2; continue; }
    mkdir -p "$root$(dirname "$path")"
    cp -L "$path" "$root$path"
    copy_libs "$path"
done
[[ -d /etc/iproute2 ]] && cp -r /etc/iproute2 "$root/etc/"
[[ -d /usr/share/iproute2 ]] && mkdir -p "$root/usr/share" && cp -r /usr/share/iproute2 "$root/usr/share/"

# --- kernel modules: resolve dependencies from each .ko's modinfo "depends=", decompress .xz/.zst ----------------
declare -A seen=()
order=()
module_file() {   # name -> path relative to MODDIR ('-' and '_' are the same in module names)
    local n="${1//-/_}" alt="${1//_/-}"
    (cd "$MODDIR" && find kernel -type f \( -name "$n.ko" -o -name "$n.ko.*" -o -name "$alt.ko" -o -name "$alt.ko.*" \) | sed -n 1p)
}
module_builtin() { grep -qE "/(${1//-/_}|${1//_/-})\.ko$" "$MODDIR/modules.builtin" 2>/dev/null; }
module_cat() {
    case "$1" in *.xz) xz -dc "$1" ;; *.zst) zstd -qdc "$1" ;; *.gz) gzip -dc "$1" ;; *) cat "$1" ;; esac
}
add_module() {
    local name="${1//-/_}"
    [[ -n "${seen[$name]:-}" ]] && return 0
    seen[$name]=1
    if module_builtin "$name"; then return 0; fi
    local rel; rel="$(module_file "$name")"
    if [[ -z "$rel" ]]; then echo "build-initramfs: warning: module $name not in $KVER" >&2; return 0; fi
    local deps dep
    deps="$(module_cat "$MODDIR/$rel" | tr '\0' '\n' | sed -n 's/^depends=//p' | sed -n 1p)"
    for dep in ${deps//,/ }; do add_module "$dep"; done
    local base; base="$(basename "$rel")"; base="${base%.xz}"; base="${base%.zst}"; base="${base%.gz}"
    module_cat "$MODDIR/$rel" >"$root/lib/modules/$base"
    order+=("$base")
}
for m in $MODULES; do add_module "$m"; done
printf '%s\n' "${order[@]}" >"$root/etc/matrix/modules"

# --- the test executables and what they read ------------------------------------------------------------------
for exe in "${TESTS[@]}"; do
    [[ -x "$exe" ]] || die "test executable $exe not found"
    name="$(basename "$exe")"
    mkdir -p "$root/ebpf/tests/$name"
    cp "$exe" "$root/ebpf/tests/$name/$name"
    copy_libs "$exe"
done
if [[ -d "$BPF_DIR" ]]; then
    (cd "$BPF_DIR" && find . -name '*.o' -print0 | cpio -0 -pdm --quiet "$root/ebpf/bpf")
fi
[[ -d "$REPO/../shared/conformance" ]] && cp -r "$REPO/../shared/conformance" "$root/ebpf/shared/"
# The ebpf CLI (a self-contained single file) as /usr/sbin/ebpf, and the seed workflow that drives it.
if [[ -n "${MATRIX_CLI:-}" ]]; then
    [[ -x "$MATRIX_CLI" ]] || die "MATRIX_CLI=$MATRIX_CLI is not an executable"
    cp "$MATRIX_CLI" "$root/usr/sbin/ebpf"
    copy_libs "$MATRIX_CLI"
    cp "$HERE/seed.sh" "$root/ebpf/seed.sh"
    chmod 755 "$root/ebpf/seed.sh"
fi
echo '<Project><!-- stub: the kernel-matrix guest; RepoPaths.Root finds this folder --></Project>' >"$root/ebpf/Directory.Build.props"

# The kernel's config: bpftool feature probe reads /boot/config-$(uname -r).
mkdir -p "$root/boot"
cfg="$(dirname "$VMLINUZ")/config-$KVER"
[[ -f "$cfg" ]] && cp "$cfg" "$root/boot/"

# .NET asks for the user and group names of root.
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
echo '127.0.0.1 localhost matrix' >"$root/etc/hosts"
# ip netns keeps its namespaces in /var/run/netns.
mkdir -p "$root/var/tmp"; ln -s ../run "$root/var/run"

# --- init and its configuration ------------------------------------------------------------------------------
cp "$HERE/init.sh" "$root/init"
chmod 755 "$root/init"
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }   # single-quote for ash
{
    echo "MATRIX_TEST_ARGS=$(q "${MATRIX_TEST_ARGS:-}")"
    echo "MATRIX_SMOKE=$(q "${MATRIX_SMOKE:-1}")"
    echo "MATRIX_GUEST_BUDGET=$(q "${MATRIX_GUEST_BUDGET:-900}")"
    echo "MATRIX_GUEST_SHELL=$(q "${MATRIX_GUEST_SHELL:-0}")"
    echo "MATRIX_CONTROL=$(q "${MATRIX_CONTROL:-1}")"
} >"$root/etc/matrix/config"

# --- pack --------------------------------------------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
case "${MATRIX_INITRD_COMPRESS:-none}" in
    none) (cd "$root" && find . -print0 | cpio -0 -o -H newc --quiet) >"$OUT.tmp" ;;
    gzip) (cd "$root" && find . -print0 | cpio -0 -o -H newc --quiet | gzip -1) >"$OUT.tmp" ;;
    *) die "MATRIX_INITRD_COMPRESS must be none or gzip" ;;
esac
mv -f "$OUT.tmp" "$OUT"
echo "$OUT: $(du -h "$OUT" | cut -f1), modules: ${order[*]:-none}" >&2
