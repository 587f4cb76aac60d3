#!/usr/bin/env bash
# Kernel backend vs libbpf, in the same run (issue #6). Needs root, clang, libbpf-dev (bpf/libbpf.h, -lbpf -lelf -lz).
# Builds bench/libbpf-maps/libbpf_maps.c and bench/Ebpf.Benchmarks, then runs the two alternately PASSES times (so
# both see the same machine load) and prints, per measurement, the best ns/op of each side and managed/libbpf.
#   bench/libbpf-maps/run.sh [OBJECT] [LOADS] [PASSES]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
object="${1:-$root/artifacts/bpf/xdp_drop_udp53.o}"
loads="${2:-20}"
passes="${3:-4}"
out="$root/artifacts/bench/libbpf-maps"
mkdir -p "$out"

if ! command -v clang >/dev/null || [ ! -f /usr/include/bpf/libbpf.h ]; then
    echo "skipped: needs clang and libbpf-dev (apt-get install clang libbpf-dev)"; exit 0
fi
if [ "$(id -u)" != 0 ]; then echo "skipped: needs root (bpf() map and program creation)"; exit 0; fi

clang -O2 -Wall -o "$out/libbpf_maps" "$root/bench/libbpf-maps/libbpf_maps.c" -lbpf -lelf -lz
dotnet build "$root/bench/Ebpf.Benchmarks" -c Release -nologo -clp:ErrorsOnly -v:quiet >/dev/null
managed="$root/artifacts/bin/Ebpf.Benchmarks/release/Ebpf.Benchmarks"
[ -f "$object" ] || dotnet build "$root/tests/Ebpf.Linux.Tests" -c Release -nologo -clp:ErrorsOnly -v:quiet >/dev/null

: > "$out/libbpf.txt"; : > "$out/managed.txt"
for ((p = 1; p <= passes; p++)); do
    "$out/libbpf_maps" "$object" "$loads" >> "$out/libbpf.txt"
    "$managed" --kernel-maps "$object" "$loads" >> "$out/managed.txt"
done

echo "object: $(basename "$object"), $loads loads per round; best of $passes passes of each side, alternating; $(nproc) CPUs, $(uname -r)"
awk '
    FNR == NR { if (!($1 in c) || $2 < c[$1]) c[$1] = $2; next }
    { if (!($1 in m) || $2 < m[$1]) { m[$1] = $2; a[$1] = $3 } }
    END {
        printf "%-20s %14s %14s %10s %14s\n", "measurement", "libbpf ns/op", "managed ns/op", "managed/C", "alloc B/op"
        n = split("hash_update_lookup batch_lookup_1m iterate_1m object_load", names, " ")
        for (i = 1; i <= n; i++) { k = names[i]; printf "%-20s %14.1f %14.1f %10.2f %14.2f\n", k, c[k], m[k], m[k] / c[k], a[k] }
    }' "$out/libbpf.txt" "$out/managed.txt"
