#!/usr/bin/env bash
# Downloads Debian's cloud kernels for the kernel matrix and unpacks them into a cache directory.
#
#   tools/matrix/fetch-kernels.sh [SUITE...]        default suites: bullseye bookworm trixie (5.10, 6.1, 6.12)
#
# Environment:
#   MATRIX_CACHE    cache directory (default /var/cache/ebpf-net-matrix); reused between runs
#   MATRIX_REFRESH  1 = ask the mirror again even when a kernel for the suite is cached (picks up new ABIs)
#   MATRIX_MIRROR   Debian mirror URI (default: the first non-security URIs: of /etc/apt/sources.list.d/debian.sources)
#
# How: for each suite a private apt configuration lives in $MATRIX_CACHE/apt/SUITE/ (its own sources list,
# lists and package cache; Dir::Etc::SourceParts=/dev/null hides the machine's sources), so the machine's apt
# set-up is never read for sources nor written. `linux-image-cloud-amd64` of the suite names the concrete image
# package (e.g. linux-image-5.10.0-32-cloud-amd64); `apt-get download` fetches that .deb and `dpkg-deb -x`
# unpacks it into $MATRIX_CACHE/kernels/SUITE/root/. The file $MATRIX_CACHE/kernels/SUITE/kernel.env then
# records, for the other scripts:
#   KVER=5.10.0-32-cloud-amd64   VMLINUZ=/…/root/boot/vmlinuz-…   MODDIR=/…/root/lib/modules/…   PKG=… VERSION=…
# Prints one line per suite: "SUITE KVER".
set -euo pipefail
# Under pipefail a reader that stops early (head, grep -q, awk's exit) SIGPIPEs the writer and fails the pipeline:
# every reader here reads its input to the end.
export PATH="$PATH:/usr/sbin:/sbin"

CACHE="${MATRIX_CACHE:-/var/cache/ebpf-net-matrix}"
SUITES=("$@")
((${#SUITES[@]})) || SUITES=(bullseye bookworm trixie)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { echo "fetch-kernels: $*" >&2; exit 1; }

# The mirror the machine already uses (deb822 sources), unless told otherwise.
mirror() {
    if [[ -n "${MATRIX_MIRROR:-}" ]]; then echo "$MATRIX_MIRROR"; return; fi
    local uri
    uri="$(grep -hE '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | awk '{print $2}' | grep -v -- '-security' | sed -n 1p || true)"
    [[ -n "$uri" ]] || uri="$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v -- '-security' | sed -n 1p || true)"
    echo "${uri:-http://deb.debian.org/debian}"
}

# apt-get/apt-cache with the suite's private configuration. Status is the machine's dpkg status (read only);
# everything apt writes (lists, pkgcache.bin, downloaded .debs) goes under $dir.
private_apt() {
    local dir="$1"; shift
    local tool="$1"; shift
    "$tool" -q \
        -o Dir::Etc::SourceList="$dir/sources.list" \
        -o Dir::Etc::SourceParts=/dev/null \
        -o Dir::State::Lists="$dir/lists" \
        -o Dir::Cache="$dir/cache" \
        -o Dir::Cache::archives="$dir/cache/archives" \
        -o Acquire::Languages=none \
        -o APT::Sandbox::User=root \
        "$@"
}

fetch_suite() {
    local suite="$1"
    local kdir="$CACHE/kernels/$suite" adir="$CACHE/apt/$suite"
    if [[ -f "$kdir/kernel.env" && "${MATRIX_REFRESH:-0}" != 1 ]]; then
        # Cached: no network at all.
        (source "$kdir/kernel.env"; [[ -f "$VMLINUZ" && -d "$MODDIR" ]]) && { log "$suite: cached"; return 0; }
    fi
    command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "apt-get and dpkg-deb are required"

    mkdir -p "$adir/lists/partial" "$adir/cache/archives/partial" "$kdir"
    # Signed-By: bookworm's debian-archive-keyring holds the keys of bullseye, bookworm and trixie.
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(mirror) $suite main" >"$adir/sources.list"
    log "$suite: updating the private package lists ($(mirror))"
    private_apt "$adir" apt-get update >/dev/null

    # linux-image-cloud-amd64 -> "Depends: linux-image-5.10.0-32-cloud-amd64" (first linux-image-* dependency).
    local pkg
    pkg="$(private_apt "$adir" apt-cache depends linux-image-cloud-amd64 \
        | awk '!found && $1 ~ /Depends:$/ && $2 ~ /^linux-image-/ {print $2; found = 1}')"
    [[ -n "$pkg" ]] || die "$suite: linux-image-cloud-amd64 has no linux-image-* dependency"
    local version
    version="$(private_apt "$adir" apt-cache show "$pkg" | awk '!found && /^Version:/ {print $2; found = 1}')"

    if [[ -f "$kdir/kernel.env" ]] && grep -qx "PKG=$pkg" "$kdir/kernel.env" && grep -qx "VERSION=$version" "$kdir/kernel.env"; then
        log "$suite: $pkg $version already unpacked"
        return 0
    fi

    log "$suite: downloading $pkg $version"
    local tmp
    tmp="$(mktemp -d "$CACHE/download.XXXXXX")"
    (cd "$tmp" && private_apt "$adir" apt-get download "$pkg" >/dev/null)
    local deb
    deb="$(ls "$tmp"/*.deb)"
    rm -rf "$kdir/root.new"; mkdir -p "$kdir/root.new"
    dpkg-deb -x "$deb" "$kdir/root.new"
    rm -rf "$tmp"

    # The image: boot/vmlinuz-KVER; the modules: lib/modules/KVER (bullseye, bookworm) or usr/lib/modules/KVER (trixie).
    local vmlinuz kver moddir
    vmlinuz="$(ls "$kdir"/root.new/boot/vmlinuz-* | sed -n 1p)"
    kver="${vmlinuz##*/vmlinuz-}"
    if [[ -d "$kdir/root.new/lib/modules/$kver" ]]; then moddir="lib/modules/$kver"
    elif [[ -d "$kdir/root.new/usr/lib/modules/$kver" ]]; then moddir="usr/lib/modules/$kver"
    else die "$suite: no modules directory for $kver in $pkg"; fi
    rm -rf "$kdir/root"; mv "$kdir/root.new" "$kdir/root"
    cat >"$kdir/kernel.env" <<EOF
SUITE=$suite
PKG=$pkg
VERSION=$version
KVER=$kver
VMLINUZ=$kdir/root/boot/vmlinuz-$kver
MODDIR=$kdir/root/$moddir
EOF
    # The package lists are big and only needed to resolve; keep them (a refresh then only fetches diffs).
    rm -f "$adir"/cache/archives/*.deb
}

mkdir -p "$CACHE"
for suite in "${SUITES[@]}"; do
    fetch_suite "$suite"
    (source "$CACHE/kernels/$suite/kernel.env"; echo "$suite $KVER")
done
